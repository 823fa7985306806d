namespace DeepLearning.Trainers.Analysis;

/// <summary>
/// One image for <see cref="DetectionMetrics"/>: its ground-truth objects and a detector's predictions, in the
/// layout of ML.NET's object-detection columns. Boxes are corners <c>x1, y1, x2, y2</c> (any unit, the same for
/// truth and predictions, e.g. pixels), 4 values per object; classes are 0-based indices.
/// </summary>
/// <param name="Boxes">Ground-truth boxes, 4·N values.</param>
/// <param name="Labels">Ground-truth class of each object, N values.</param>
/// <param name="PredictedBoxes">Predicted boxes, 4·M values.</param>
/// <param name="PredictedLabels">Predicted class of each box, M values.</param>
/// <param name="Scores">Confidence of each predicted box, M finite values (higher is surer).</param>
public sealed record DetectionImage(float[] Boxes, int[] Labels, float[] PredictedBoxes, int[] PredictedLabels, float[] Scores)
{
    /// <summary>Throws naming the column, the row and the value unless the counts agree, every box has finite corners with <c>x2 ≥ x1</c> and <c>y2 ≥ y1</c>, every class is in <c>[0, classCount)</c> and every score is finite.</summary>
    /// <param name="row">0-based position of the image, named in messages.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <param name="columns">The names the messages give the five arrays.</param>
    /// <exception cref="ArgumentException">Something is inconsistent.</exception>
    internal void Validate(int row, int classCount, DetectionColumns columns)
    {
        if (Boxes is null || Labels is null || PredictedBoxes is null || PredictedLabels is null || Scores is null)
        {
            throw new ArgumentException($"Image {row}: every array must be given (an image without objects or predictions has empty arrays).", "images");
        }

        CheckBoxes(Boxes, Labels.Length, columns.Boxes, columns.Labels, row);
        CheckBoxes(PredictedBoxes, PredictedLabels.Length, columns.PredictedBoxes, columns.PredictedLabels, row);
        CheckClasses(Labels, classCount, columns.Labels, row);
        CheckClasses(PredictedLabels, classCount, columns.PredictedLabels, row);
        Require(Scores.Length == PredictedLabels.Length, columns.Scores, row, $"it has {Scores.Length} scores for {PredictedLabels.Length} predicted labels in '{columns.PredictedLabels}'; give one per prediction");
        for (var i = 0; i < Scores.Length; i++)
        {
            Require(float.IsFinite(Scores[i]), columns.Scores, row, $"score {i} is {Scores[i]}; scores must be finite");
        }
    }

    private static void CheckBoxes(float[] boxes, int objects, string column, string labelColumn, int row)
    {
        Require(boxes.Length == 4 * objects, column, row, $"it has {boxes.Length} values for {objects} labels in '{labelColumn}'; it needs 4 per object (x1, y1, x2, y2)");
        for (var i = 0; i < objects; i++)
        {
            float x1 = boxes[4 * i], y1 = boxes[(4 * i) + 1], x2 = boxes[(4 * i) + 2], y2 = boxes[(4 * i) + 3];
            Require(
                float.IsFinite(x1) && float.IsFinite(y1) && float.IsFinite(x2) && float.IsFinite(y2) && x2 >= x1 && y2 >= y1,
                column,
                row,
                $"box {i} is ({x1}, {y1}, {x2}, {y2}); corner boxes need finite coordinates with x2 ≥ x1 and y2 ≥ y1 (no negative size)");
        }
    }

    private static void CheckClasses(int[] labels, int classCount, string column, int row)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            Require(labels[i] >= 0 && labels[i] < classCount, column, row, $"label {i} is {labels[i]}, not a class index in [0, {classCount}) (a missing key is not allowed)");
        }
    }

    private static void Require(bool condition, string column, int row, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"Column '{column}', row {row}: {problem}.", column);
        }
    }
}
