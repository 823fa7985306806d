using System.Text.Json.Serialization;
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

    /// <summary>The columns this head appends, in order.</summary>
    public abstract IReadOnlyList<OutputColumn> CreateColumns();

    /// <summary>Throws an exception naming the first invalid property and its value.</summary>
    public abstract void Validate();
}
