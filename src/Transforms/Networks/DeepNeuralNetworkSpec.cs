using System.Text.Json.Serialization;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks;

/// <summary>
/// A fully connected network: <see cref="InputSize"/> → hidden layers → <see cref="OutputSize"/>.
/// No hidden layer is logistic (softmax) regression, one is a shallow network, several a deep one.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record DeepNeuralNetworkSpec : NetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "deep-neural-network";

    /// <summary>Number of input features; at least 1.</summary>
    public int InputSize { get; init; }

    /// <summary>Sizes of the hidden layers, input side first; each at least 1. Empty: logistic regression.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [];

    /// <summary>Number of outputs (classes, 1 for binary and regression); at least 1.</summary>
    public override int OutputSize { get; init; }

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<long> InputShape => [InputSize];

    /// <summary>Hidden-layer activation. Default <see cref="Activation.ReLU"/>.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <summary>Negative slope of <see cref="Activation.LeakyReLU"/>. Default 0.01; in [0, 1).</summary>
    public double LeakyReluSlope { get; init; } = 0.01;

    /// <summary>
    /// Dropout probability after each hidden layer: empty (none, the default), one value for every
    /// hidden layer, or one value per hidden layer; each in [0, 1).
    /// </summary>
    public IReadOnlyList<double> Dropout { get; init; } = [];

    /// <summary>Batch normalisation between each hidden linear layer and its activation. Default <see langword="false"/>.</summary>
    public bool BatchNormalization { get; init; }

    /// <summary>Weight initialisation. Default <see cref="WeightInitialization.Auto"/>.</summary>
    public WeightInitialization Initialization { get; init; } = WeightInitialization.Auto;

    /// <summary>Dropout probability of hidden layer <paramref name="index"/> (0-based).</summary>
    /// <param name="index">Hidden layer index.</param>
    public double DropoutAt(int index) => Dropout.Count switch
    {
        0 => 0,
        1 => Dropout[0],
        _ => Dropout[index],
    };

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(InputSize >= 1, InputSize, nameof(InputSize), "at least 1");
        OptionCheck.Require(OutputSize >= 1, OutputSize, nameof(OutputSize), "at least 1");
        ArgumentNullException.ThrowIfNull(HiddenLayers, nameof(HiddenLayers));
        ArgumentNullException.ThrowIfNull(Dropout, nameof(Dropout));
        for (var i = 0; i < HiddenLayers.Count; i++)
        {
            OptionCheck.Require(HiddenLayers[i] >= 1, HiddenLayers[i], $"{nameof(HiddenLayers)}[{i}]", "at least 1");
        }

        OptionCheck.RequireDefined(Activation, nameof(Activation));
        OptionCheck.RequireDefined(Initialization, nameof(Initialization));
        OptionCheck.Require(LeakyReluSlope >= 0 && LeakyReluSlope < 1, LeakyReluSlope, nameof(LeakyReluSlope), "in [0, 1)");
        OptionCheck.Require(Dropout.Count <= 1 || Dropout.Count == HiddenLayers.Count, Dropout.Count, $"{nameof(Dropout)}.Count", $"0, 1 or the number of hidden layers ({HiddenLayers.Count})");
        for (var i = 0; i < Dropout.Count; i++)
        {
            OptionCheck.Require(Dropout[i] >= 0 && Dropout[i] < 1, Dropout[i], $"{nameof(Dropout)}[{i}]", "in [0, 1)");
        }
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new DeepNeuralNetwork(this);
}
