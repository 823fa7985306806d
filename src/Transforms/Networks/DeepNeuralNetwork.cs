using DeepLearning.Transforms.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks;

/// <summary>
/// A fully connected network built from a <see cref="DeepNeuralNetworkSpec"/>. Its layers live in
/// <c>layers</c>: hidden layer i (1-based) is <c>fc{i}</c>, then <c>bn{i}</c> (batch norm, if on),
/// <c>act{i}</c> and <c>drop{i}</c> (if its dropout is above 0); the output layer is <c>out</c>.
/// The output is raw scores (logits); losses apply softmax or sigmoid.
/// </summary>
public sealed class DeepNeuralNetwork : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly nn.Module<Tensor, Tensor> layers;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public DeepNeuralNetwork(DeepNeuralNetworkSpec spec)
        : base(nameof(DeepNeuralNetwork))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        var named = new List<(string, nn.Module<Tensor, Tensor>)>();
        var inputs = spec.InputSize;
        for (var i = 0; i < spec.HiddenLayers.Count; i++)
        {
            var n = i + 1;
            var fc = nn.Linear(inputs, spec.HiddenLayers[i]);
            WeightInitializer.Initialize(fc.weight!, spec.Initialization, spec.Activation, spec.LeakyReluSlope);
            nn.init.zeros_(fc.bias!);
            named.Add(($"fc{n}", fc));
            if (spec.BatchNormalization)
            {
                named.Add(($"bn{n}", nn.BatchNorm1d(spec.HiddenLayers[i])));
            }

            named.Add(($"act{n}", CreateActivation(spec.Activation, spec.LeakyReluSlope)));
            if (spec.DropoutAt(i) > 0)
            {
                named.Add(($"drop{n}", nn.Dropout(spec.DropoutAt(i))));
            }

            inputs = spec.HiddenLayers[i];
        }

        var output = nn.Linear(inputs, spec.OutputSize);
        // The output layer feeds a softmax/sigmoid/identity, so Xavier suits it for every hidden activation.
        WeightInitializer.Initialize(output.weight!, spec.Initialization == WeightInitialization.Auto ? WeightInitialization.XavierNormal : spec.Initialization, Activation.Sigmoid, 0);
        nn.init.zeros_(output.bias!);
        named.Add(("out", output));
        layers = nn.Sequential(named);
        RegisterComponents();
    }

    /// <summary>The architecture this network was built from.</summary>
    public DeepNeuralNetworkSpec Spec { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layers.forward(input);

    /// <inheritdoc />
    string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
        => exporter.Export(layers, input, OnnxNetworkExporter.ChildPath(path, nameof(layers)));

    /// <summary>Creates the activation module for <paramref name="activation"/>.</summary>
    /// <param name="activation">The activation.</param>
    /// <param name="leakySlope">Negative slope of leaky ReLU.</param>
    internal static nn.Module<Tensor, Tensor> CreateActivation(Activation activation, double leakySlope) => activation switch
    {
        Activation.ReLU => nn.ReLU(),
        Activation.LeakyReLU => nn.LeakyReLU(leakySlope),
        Activation.Tanh => nn.Tanh(),
        Activation.Sigmoid => nn.Sigmoid(),
        Activation.Gelu => nn.GELU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            layers.Dispose();
        }

        base.Dispose(disposing);
    }
}
