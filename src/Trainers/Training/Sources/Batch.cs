using static TorchSharp.torch;

namespace DeepLearning.Trainers.Training.Sources;

/// <summary>One mini-batch: inputs <c>[B, ..InputShape]</c> and targets <c>[B, ..TargetShape]</c> on the source's device.</summary>
/// <param name="Input">The network inputs.</param>
/// <param name="Target">The targets, of the layout's target type.</param>
internal readonly record struct Batch(Tensor Input, Tensor Target)
{
    /// <summary>Number of rows.</summary>
    public long Rows => Input.shape[0];
}
