using DeepLearning.Trainers.Analysis;
using DeepLearning.Transforms.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>Writes the plots of a trained model as PNG files and returns their paths.</summary>
internal static class ResultPlots
{
    private const int WrongImages = 16;
    private static readonly PlotOptions Curves = new() { Width = 900, Height = 650 };
    private static readonly PlotOptions Matrix = new() { Width = 900, Height = 800 };
    private static readonly PlotOptions Grid = new() { Width = 900, Height = 900 };

    /// <summary>The learning curves of <paramref name="model"/>: loss and accuracy per epoch, training against validation.</summary>
    public static IReadOnlyList<string> LearningCurves(TrainedModel model, string directory, string stem)
    {
        if (model.History is not { Count: > 0 } history)
        {
            return [];
        }

        string path = Path.Combine(directory, $"{stem}-learning-curves.png");
        Plots.LearningCurves(history, path, "accuracy", Titled(Curves, $"{model.Name}: learning curves"));
        return [path];
    }

    /// <summary>
    /// Confusion matrix and most confidently wrong images of a model whose labels are Single class
    /// indices (Fashion-MNIST): the names come from <paramref name="classNames"/>, the images from the
    /// 784-pixel <c>Features</c> column of <paramref name="test"/>.
    /// </summary>
    public static IReadOnlyList<string> ForClassIndices(TrainedModel model, IDataView test, IReadOnlyList<string> classNames, string directory, string stem)
    {
        var scored = model.Model.Transform(test);
        string Name(float label) => classNames[(int)label];
        var truth = test.GetColumn<float>("Label").Select(Name).ToArray();
        var predicted = scored.GetColumn<float>("PredictedLabel").Select(Name).ToArray();
        var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().Max()).ToArray();
        var images = test.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()).ToArray();
        if (!ImageShapeAnnotations.TryGet(test.Schema["Features"], out int channels, out int height, out int width))
        {
            (channels, height, width) = (1, 28, 28);
        }

        string confusion = Path.Combine(directory, $"{stem}-confusion-matrix.png");
        Plots.ConfusionMatrix(truth, predicted, classNames, confusion, normalized: false, Titled(Matrix, $"{model.Name}: confusion matrix (test set)"));

        string wrong = Path.Combine(directory, $"{stem}-most-confidently-wrong.png");
        Plots.MostConfidentlyWrong(images, [channels, height, width], truth, predicted, scores, wrong, WrongImages, options: Titled(Grid, $"{model.Name}: most confidently wrong"));
        return [confusion, wrong];
    }

    /// <summary>
    /// Confusion matrix and most confidently wrong images of a model trained on image files: the class
    /// names come from the label's key values, the images are read back with ML.NET's
    /// <c>LoadImages</c>, <c>ResizeImages</c> (ExtractPixels needs a known size) and <c>ExtractPixels</c>
    /// (grey: the red plane of a grey PNG).
    /// </summary>
    public static IReadOnlyList<string> ForImageFiles(MLContext ml, TrainedModel model, IDataView test, string pathColumn, (int Width, int Height) imageSize, string directory, string stem)
    {
        var scored = model.Model.Transform(test);
        string confusion = Path.Combine(directory, $"{stem}-confusion-matrix.png");
        Plots.ConfusionMatrix(scored, confusion, options: Titled(Matrix, $"{model.Name}: confusion matrix (test split)"));

        var withPixels = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: pathColumn)
            .Append(ml.Transforms.ResizeImages("Image", imageSize.Width, imageSize.Height))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Fit(scored)
            .Transform(scored);
        string wrong = Path.Combine(directory, $"{stem}-most-confidently-wrong.png");
        Plots.MostConfidentlyWrong(withPixels, wrong, WrongImages, featureColumnName: "Pixels", options: Titled(Grid, $"{model.Name}: most confidently wrong"));
        return [confusion, wrong];
    }

    private static PlotOptions Titled(PlotOptions size, string title) => new() { Width = size.Width, Height = size.Height, Title = title };
}
