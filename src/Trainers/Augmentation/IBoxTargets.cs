using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>Reads and writes the boxes held in a task's target batch.</summary>
internal interface IBoxTargets
{
    /// <summary>Boxes [B, M, 4] as normalised corners (x1, y1, x2, y2) in [0, 1] of the image, float32, and which are real objects, Valid [B, M] bool.</summary>
    /// <param name="target">The task's target batch.</param>
    (Tensor Boxes, Tensor Valid) Read(Tensor target);

    /// <summary>The target with its boxes replaced by boxes [B, M, 4] and objects with Valid false removed (as the task marks "no object").</summary>
    /// <param name="target">The task's target batch, as read.</param>
    /// <param name="boxes">The new boxes, normalised corners <c>[B, M, 4]</c>.</param>
    /// <param name="valid">Which boxes are still objects, <c>[B, M]</c> bool.</param>
    Tensor Write(Tensor target, Tensor boxes, Tensor valid);
}
