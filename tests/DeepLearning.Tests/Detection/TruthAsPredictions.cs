using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Detection;

/// <summary>Turns a view of shape scenes (<c>SceneGenerator.ToDataView</c>) into a scored view whose predictions are the ground truth itself.</summary>
internal static class TruthAsPredictions
{
    /// <summary>Adds <c>PredictedLabel</c> and <c>PredictedBoundingBoxes</c> copied from <c>Labels</c> and <c>Boxes</c>, and a <c>Score</c> per object from its key.</summary>
    /// <param name="ml">The context.</param>
    /// <param name="scenes">Scenes of the 5 shape classes.</param>
    /// <param name="score">The score of an object of the given key.</param>
    public static IDataView Score(MLContext ml, IDataView scenes, Func<uint, float> score)
        => ml.Transforms.CopyColumns("PredictedLabel", "Labels")
            .Append(ml.Transforms.CopyColumns("PredictedBoundingBoxes", "Boxes"))
            .Append(ml.Transforms.CustomMapping<ShapeLabels, Scores>((input, output) => output.Score = [.. input.Labels.Select(score)], contractName: null))
            .Fit(scenes)
            .Transform(scenes);

    private sealed class ShapeLabels
    {
        [KeyType(5)]
        public uint[] Labels { get; set; } = [];
    }

    private sealed class Scores
    {
        public float[] Score { get; set; } = [];
    }
}
