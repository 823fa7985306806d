using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks;
using TorchSharp;
using TorchSharp.Modules;

namespace DeepLearning.Transforms.Onnx;

/// <summary>
/// Walks a TorchSharp module tree and emits its inference graph into an <see cref="IOnnxGraphBuilder"/>:
/// a module implementing <see cref="IOnnxExportable"/> emits itself, <c>Sequential</c> emits its
/// children in order, and the standard layers (Linear, ReLU, ReLU6, LeakyReLU, Tanh, Sigmoid,
/// SiLU, Hardsigmoid, Hardswish, GELU, Dropout, BatchNorm, Flatten, Identity, Conv2d, MaxPool2d,
/// AvgPool2d, AdaptiveAvgPool2d) map to ONNX operators at opset 12. AdaptiveAvgPool2d to more than 1x1
/// needs its input size, known only when the whole network is exported (the spec gives the input shape).
/// </summary>
public sealed class OnnxNetworkExporter
{
    /// <summary>Creates an exporter that writes into <paramref name="builder"/>.</summary>
    /// <param name="builder">The graph being built.</param>
    public OnnxNetworkExporter(IOnnxGraphBuilder builder) => Builder = builder ?? throw new ArgumentNullException(nameof(builder));

    /// <summary>The graph being built.</summary>
    public IOnnxGraphBuilder Builder { get; }

    // The input shape of every module, traced on first use when the whole network is exported through ExportNetwork.
    private Lazy<OnnxShapeTrace>? shapes;

    // The output variable of every module exported so far, by dotted path (a featurizer reads a named layer's).
    private readonly Dictionary<string, string> outputs = new(StringComparer.Ordinal);

    /// <summary>The dotted path of child <paramref name="name"/> of the module at <paramref name="path"/>.</summary>
    /// <param name="path">The parent's path; empty for the root.</param>
    /// <param name="name">The child's name.</param>
    public static string ChildPath(string path, string name) => string.IsNullOrEmpty(path) ? name : $"{path}.{name}";

    /// <summary>Emits <paramref name="module"/>'s inference-mode forward pass.</summary>
    /// <param name="module">The module.</param>
    /// <param name="input">Name of the variable holding its input.</param>
    /// <param name="path">Its dotted path in the network (empty for the root).</param>
    /// <returns>Name of the variable holding its output.</returns>
    /// <exception cref="NotSupportedException">The module, or one inside it, has no ONNX mapping.</exception>
    public string Export(torch.nn.Module module, string input, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(input);
        path ??= string.Empty;
        var output = Emit(module, input, path);
        outputs[path] = output;
        return output;
    }

    /// <summary>The variable holding the output of the module at <paramref name="path"/>, if it was exported through <see cref="Export"/>.</summary>
    /// <param name="path">The module's dotted path.</param>
    /// <param name="output">The variable's name.</param>
    internal bool TryGetOutput(string path, out string output) => outputs.TryGetValue(path, out output!);

    private string Emit(torch.nn.Module module, string input, string path)
    {
        if (module is IOnnxExportable exportable)
        {
            return exportable.ExportOnnx(this, input, path);
        }

        if (module is Sequential sequential)
        {
            var x = input;
            foreach (var (name, child) in sequential.named_children())
            {
                x = Export(child, x, ChildPath(path, name));
            }

            return x;
        }

        return OnnxStandardLayers.TryEmit(Builder, module, input, Describe(module, path), () => shapes?.Value.InputShapeOf(module), out var output)
            ? output
            : throw new NotSupportedException($"Module '{Describe(module, path)}' of type {module.GetType().FullName} cannot be exported to ONNX: it is not a standard layer we map. Implement {nameof(IOnnxExportable)} on it to emit its forward pass.");
    }

    /// <summary>
    /// Emits a whole network: reshapes the features (shape <paramref name="featureShape"/> per row)
    /// to the network's input shape when they differ, standardises them per channel when
    /// <paramref name="normalization"/> is given, then the network.
    /// </summary>
    /// <returns>Name of the variable holding the network's raw outputs, shape [N, OutputSize].</returns>
    internal string ExportNetwork(NetworkSpec spec, torch.nn.Module network, string features, IReadOnlyList<long> featureShape, InputNormalization? normalization)
    {
        shapes = new Lazy<OnnxShapeTrace>(() => OnnxShapeTrace.Run(network, spec.InputShape));
        var x = features;
        if (!featureShape.SequenceEqual(spec.InputShape))
        {
            var shape = Builder.AddInitializer("input.shape", [-1L, .. spec.InputShape], [spec.InputShape.Count + 1]);
            x = Builder.AddOp("Reshape", [x, shape], "input.reshaped");
        }

        if (normalization is not null)
        {
            var (mean, std) = normalization.ToTensors(spec.InputShape, torch.CPU);
            using (mean)
            using (std)
            {
                x = Builder.AddOp("Sub", [x, Builder.AddInitializer("input.mean", mean)], "input.centred");
                x = Builder.AddOp("Div", [x, Builder.AddInitializer("input.std", std)], "input.standardised");
            }
        }

        return Export(network, x, string.Empty);
    }

    private static string Describe(torch.nn.Module module, string path) => string.IsNullOrEmpty(path) ? module.GetName() : path;
}
