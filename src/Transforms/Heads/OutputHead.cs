using System.Text.Json.Serialization;
using DeepLearning.Transforms.Onnx;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Heads;

/// <summary>
/// The scoring side of a task: what a network's raw output means. A head knows how many values the
/// network outputs per row, post-processes a batch of them as a TorchSharp operation (softmax,
/// sigmoid, L2 normalisation … so exported graphs contain it), and lists the columns it appends.
/// Heads are saved in the model manifest as JSON by their <see cref="Serialization.RegisteredNameAttribute"/>
/// name with their public properties; a new task is a new head class, not an edit elsewhere.
/// </summary>
public abstract class OutputHead
{
    /// <summary>Values per row the network outputs (its last layer's width).</summary>
    [JsonIgnore]
    public abstract int NetworkOutputs { get; }

    /// <summary>Values per row after <see cref="PostProcess"/>, which the columns read. Default: <see cref="NetworkOutputs"/>.</summary>
    [JsonIgnore]
    public virtual int OutputSize => NetworkOutputs;

    /// <summary>Post-processes a batch of raw outputs <c>[B, NetworkOutputs]</c> into <c>[B, OutputSize]</c>. Default: identity.</summary>
    /// <param name="output">The network's raw outputs.</param>
    public virtual Tensor PostProcess(Tensor output) => output;

    /// <summary>
    /// Emits <see cref="PostProcess"/> and the columns' values as ONNX nodes, computed exactly as the
    /// scoring getters compute them, so that ONNX Runtime reproduces the columns.
    /// </summary>
    /// <param name="builder">The graph.</param>
    /// <param name="output">The variable holding the network's raw outputs, <c>[N, NetworkOutputs]</c>.</param>
    /// <param name="columns">The variable to write for each column of <see cref="CreateColumns"/>, by column name.</param>
    public abstract void ExportOnnx(IOnnxGraphBuilder builder, string output, IReadOnlyDictionary<string, string> columns);

    /// <summary>The columns this head appends, in order.</summary>
    public abstract IReadOnlyList<OutputColumn> CreateColumns();

    /// <summary>Throws an exception naming the first invalid property and its value.</summary>
    public abstract void Validate();
}
