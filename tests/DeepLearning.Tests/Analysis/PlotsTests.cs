using DeepLearning.Trainers.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Analysis;

public class PlotsTests
{
    private static readonly string[] Classes = ["cat", "dog", "bird"];

    private static TrainingHistory History(int epochs, int best) => new(
        [.. Enumerable.Range(1, epochs).Select(e => new EpochMetrics(e, 2.0 / e, 1 - 0.5 / e, 2.2 / e + 0.02 * e, 0.9 - 0.5 / e - 0.01 * e, 1e-3, TimeSpan.FromSeconds(1)))],
        best,
        stoppedEarly: false);

    [Fact]
    public void LearningCurvesWritesAPngOfTheRequestedSize()
    {
        var path = PngFile.TempPath("learning-curves.png");
        Plots.LearningCurves(History(12, 7), path, "accuracy", new PlotOptions { Width = 640, Height = 480 });
        PngFile.AssertPlot(path, 640, 480);
    }

    [Fact]
    public void LearningCurvesWithoutValidationStillPlots()
    {
        var history = new TrainingHistory([new EpochMetrics(1, 1.0, 0.5, null, null, 0.1, TimeSpan.Zero), new EpochMetrics(2, 0.5, 0.7, null, null, 0.1, TimeSpan.Zero)], 2, false);
        var path = PngFile.TempPath("learning-curves-train-only.png");
        Plots.LearningCurves(history, path);
        PngFile.AssertPlot(path, 800, 600);
    }

    [Fact]
    public void AnEmptyHistoryIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.LearningCurves(new TrainingHistory([], 0, false), PngFile.TempPath("empty.png")));
        Assert.Equal("history", e.ParamName);
        Assert.Contains("no epochs", e.Message);
    }

    [Theory]
    [InlineData(0, 100, "Width")]
    [InlineData(100, -1, "Height")]
    public void ANonPositiveSizeIsNamed(int width, int height, string option)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Plots.LearningCurves(History(3, 1), PngFile.TempPath("size.png"), options: new PlotOptions { Width = width, Height = height }));
        Assert.Equal(option, e.ParamName);
        Assert.Contains($"Option {option} =", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConfusionMatrixFromArraysWritesAPng(bool normalized)
    {
        var path = PngFile.TempPath($"confusion-{normalized}.png");
        Plots.ConfusionMatrix(["cat", "cat", "dog", "dog", "bird", "bird", "cat"], ["cat", "dog", "dog", "dog", "bird", "cat", "cat"], Classes, path, normalized, new PlotOptions { Width = 500, Height = 400 });
        PngFile.AssertPlot(path, 500, 400);
    }

    [Fact]
    public void ConfusionMatrixNamesAnUnknownClass()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.ConfusionMatrix(["cat", "fish"], ["cat", "dog"], Classes, PngFile.TempPath("unknown.png")));
        Assert.Contains("'fish'", e.Message);
    }

    [Fact]
    public void ConfusionMatrixNamesMismatchedLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.ConfusionMatrix(["cat", "dog"], ["cat"], Classes, PngFile.TempPath("lengths.png")));
        Assert.Contains("2 rows", e.Message);
    }

    [Fact]
    public void ConfusionMatrixFromAScoredViewUsesTheKeyValues()
    {
        var path = PngFile.TempPath("confusion-view.png");
        Plots.ConfusionMatrix(ScoredView(), path, options: new PlotOptions { Width = 420, Height = 360 });
        PngFile.AssertPlot(path, 420, 360);
    }

    [Fact]
    public void ImageGridWritesAPng()
    {
        var images = Enumerable.Range(0, 5).Select(Image).ToArray();
        var path = PngFile.TempPath("grid.png");
        Plots.ImageGrid(images, images.Select((_, i) => $"image {i}").ToArray(), [1, 8, 8], path, columns: 3, new PlotOptions { Width = 300, Height = 260 });
        PngFile.AssertPlot(path, 300, 260);
    }

    [Fact]
    public void ImageGridNamesAWrongImageSize()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.ImageGrid([new float[63]], ["x"], [1, 8, 8], PngFile.TempPath("bad.png")));
        Assert.Contains("images[0] has 63 values", e.Message);
    }

    [Fact]
    public void ImageGridNamesABadShapeAndMissingCaptions()
    {
        var image = new float[2 * 8 * 8];
        var shape = Assert.Throws<ArgumentOutOfRangeException>(() => Plots.ImageGrid([image], ["x"], [2, 8, 8], PngFile.TempPath("shape.png")));
        Assert.Equal("imageShape", shape.ParamName);
        var captions = Assert.Throws<ArgumentException>(() => Plots.ImageGrid([image, image], ["x"], [1, 8, 16], PngFile.TempPath("captions.png")));
        Assert.Equal("captions", captions.ParamName);
    }

    [Fact]
    public void MostConfidentlyWrongNamesANonPositiveCountAndMismatchedLengths()
    {
        float[][] images = [Image(0), Image(1)];
        var count = Assert.Throws<ArgumentOutOfRangeException>(() => Plots.MostConfidentlyWrong(images, [1, 8, 8], ["a", "b"], ["b", "a"], [0.5f, 0.5f], PngFile.TempPath("c.png"), count: 0));
        Assert.Equal("count", count.ParamName);
        var lengths = Assert.Throws<ArgumentException>(() => Plots.MostConfidentlyWrong(images, [1, 8, 8], ["a", "b"], ["b", "a"], [0.5f], PngFile.TempPath("l.png")));
        Assert.Contains("2, 2 and 1", lengths.Message);
    }

    [Fact]
    public void TheFontIsFoundWhenDebiansDejaVuIsInstalled()
    {
        // Without any font the plots are still written, only without text (checked by hand with an empty /usr/share/fonts).
        if (File.Exists("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        {
            Assert.True(PlotFile.CanDrawText);
        }
    }

    [Fact]
    public void MostConfidentlyWrongFromArraysShowsTheWrongRows()
    {
        var images = Enumerable.Range(0, 6).Select(Image).ToArray();
        var path = PngFile.TempPath("wrong.png");
        var rows = Plots.MostConfidentlyWrong(
            images, [1, 8, 8], ["cat", "dog", "bird", "cat", "dog", "bird"], ["cat", "cat", "cat", "dog", "dog", "dog"], [0.9f, 0.8f, 0.7f, 0.95f, 0.99f, 0.6f], path, count: 3, options: new PlotOptions { Width = 400, Height = 300 });
        Assert.Equal([3, 1, 2], rows);
        PngFile.AssertPlot(path, 400, 300);
    }

    [Fact]
    public void MostConfidentlyWrongFromAScoredViewReadsShapeScoresAndNames()
    {
        var path = PngFile.TempPath("wrong-view.png");
        var rows = Plots.MostConfidentlyWrong(ScoredView(), path, count: 2, options: new PlotOptions { Width = 360, Height = 240 });

        // Wrong rows of ScoredView: 1 (cat → dog, 0.7), 3 (dog → bird, 0.9), 5 (bird → cat, 0.5).
        Assert.Equal([3, 1], rows);
        PngFile.AssertPlot(path, 360, 240);
    }

    [Fact]
    public void APredictedLabelMappedBackToTextIsReadByName()
    {
        var ml = new MLContext(seed: 1);
        var scored = ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(ScoredView()).Transform(ScoredView());
        Assert.IsType<TextDataViewType>(scored.Schema["PredictedLabel"].Type);

        var rows = Plots.MostConfidentlyWrong(scored, PngFile.TempPath("wrong-text.png"), count: 5, options: new PlotOptions { Width = 300, Height = 200 });
        Assert.Equal([3, 1, 5], rows);
        Plots.ConfusionMatrix(scored, PngFile.TempPath("confusion-text.png"), normalized: true);
        PngFile.AssertPlot(PngFile.TempPath("confusion-text.png"), 800, 600);
    }

    [Fact]
    public void APredictedNameOutsideTheClassesIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable([new Row { Label = "cat", PredictedLabel = "fish" }], SchemaDefinition.Create(typeof(Row)));
        var scored = ml.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
        var e = Assert.Throws<ArgumentException>(() => Plots.ConfusionMatrix(scored, PngFile.TempPath("fish.png")));
        Assert.Contains("'fish'", e.Message);
    }

    [Fact]
    public void ARowWithAMissingLabelIsNeverShown()
    {
        // "fish" is not among the key values, so its label key is 0 (missing), however sure the model was.
        var rows = Plots.MostConfidentlyWrong(ScoredView(withUnknownLabel: true), PngFile.TempPath("missing.png"), count: 5, options: new PlotOptions { Width = 300, Height = 200 });
        Assert.Equal([3, 1, 5], rows);
    }

    [Fact]
    public void AMissingColumnIsNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => Plots.MostConfidentlyWrong(ScoredView(), PngFile.TempPath("none.png"), featureColumnName: "Pixels"));
        Assert.Contains("'Pixels'", e.Message);
    }

    private static float[] Image(int seed)
        => Enumerable.Range(0, 64).Select(i => (float)((i * (seed + 3) + seed * 7) % 17) / 16f).ToArray();

    private sealed class Row
    {
        public string Label { get; set; } = "";

        public string PredictedLabel { get; set; } = "";

        public float[] Score { get; set; } = [];

        public float[] Features { get; set; } = [];
    }

    private static IDataView ScoredView(bool withUnknownLabel = false)
    {
        var ml = new MLContext(seed: 1);
        (string Truth, string Predicted, float Score)[] rows =
        [
            ("cat", "cat", 0.8f), ("cat", "dog", 0.7f), ("dog", "dog", 0.95f),
            ("dog", "bird", 0.9f), ("bird", "bird", 0.6f), ("bird", "cat", 0.5f),
            .. withUnknownLabel ? [("fish", "cat", 0.99f)] : Array.Empty<(string, string, float)>(),
        ];
        var data = rows.Select((r, i) => new Row
        {
            Label = r.Truth,
            PredictedLabel = r.Predicted,
            Score = Classes.Select(c => c == r.Predicted ? r.Score : (1 - r.Score) / 2).ToArray(),
            Features = Image(i),
        });
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3);
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 8, 8);
        var view = ml.Data.LoadFromEnumerable(data, schema);
        var keys = ml.Data.LoadFromEnumerable(Classes.Select(c => new Row { Label = c }), SchemaDefinition.Create(typeof(Row)));
        var toKeys = ml.Transforms.Conversion.MapValueToKey(
            [new InputOutputColumnPair(nameof(Row.Label)), new InputOutputColumnPair(nameof(Row.PredictedLabel))],
            keyData: ml.Transforms.SelectColumns(nameof(Row.Label)).Fit(keys).Transform(keys));
        return toKeys.Fit(view).Transform(view);
    }
}
