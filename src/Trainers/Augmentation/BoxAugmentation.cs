using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Runs an <see cref="AugmentationPipeline"/> on batches whose targets hold boxes (detection,
/// localisation): the geometric steps move, clip and remove the boxes with the pixels, and the task's
/// <see cref="IBoxTargets"/> writes them back into the targets, so the loss sees where the objects went.
/// The images are those the pipeline gives without boxes. Wrap it in a <see cref="NormalizedAugmentation"/>
/// when batches arrive standardised (see <see cref="AugmentationPipeline.ForTraining"/>).
/// </summary>
/// <param name="pipeline">The augmentation.</param>
/// <param name="boxTargets">Reads and writes the boxes of the task's targets.</param>
internal sealed class BoxAugmentation(AugmentationPipeline pipeline, IBoxTargets boxTargets) : IBatchAugmentation
{
    /// <inheritdoc />
    public Batch Apply(Batch batch, int epoch, int batchNumber)
    {
        using var scope = NewDisposeScope();
        var device = batch.Input.device;
        var (boxes, valid) = boxTargets.Read(batch.Target);
        var (images, moved, kept) = pipeline.Apply(batch.Input, boxes.to(device), valid.to(device), epoch, batchNumber);
        var target = boxTargets.Write(batch.Target, moved.to(batch.Target.device), kept.to(batch.Target.device));
        return new Batch(scope.MoveToOuter(images), scope.MoveToOuter(target));
    }
}
