using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Transforms.Inputs;
using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;
using static DeepLearning.Tests.Inputs.ImageReading;

namespace DeepLearning.Tests.Inputs;

/// <summary>Bad image inputs fail with a message naming the column, the row and the value, in Fit and in Transform.</summary>
public sealed class ImageInputErrorTests : TempDirectoryTest
{

    private sealed class PathRow
    {
        public string Image { get; set; } = string.Empty;

        public string Label { get; set; } = string.Empty;
    }

    private sealed class BytesRow
    {
        public byte[] Image { get; set; } = [];

        public string Label { get; set; } = string.Empty;
    }

    private sealed class NumberRow
    {
        public int Image { get; set; }

        public string Label { get; set; } = string.Empty;
    }

    private static readonly ImageInputOptions Small = new() { Width = 4, Height = 4, Resize = ImageResizePolicy.None };

    private string WriteImage(string name, int width = 4, int height = 4)
    {
        using var bitmap = Bitmap(width, height, (x, y) => new SKColor((byte)(60 * x), (byte)(60 * y), 90));
        File.WriteAllBytes(Path.Combine(Dir, name), BarImages.Png(bitmap));
        return name;
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, ImageInputOptions image, long[]? featureShape = null)
    {
        var options = new ConvolutionalNeuralNetworkTrainer.Options { FeatureColumnName = "Image", Architecture = new TinyConvSpec(), Image = image, FeatureShape = featureShape, Epochs = 1, BatchSize = 2, NumberOfThreads = 1 };
        var trainer = ml.MulticlassClassification.Trainers.ConvolutionalNeuralNetwork(options);
        return ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer);
    }

    private static T FitThrows<T>(MLContext ml, IDataView data, ImageInputOptions image, long[]? featureShape = null)
        where T : Exception
        => Assert.Throws<T>(() => Pipeline(ml, image, featureShape).Fit(data));

    [Fact]
    public void MissingFileNamesColumnRowAndFullPathInFitAndTransform()
    {
        var ml = new MLContext(1);
        var image = Small with { BaseDirectory = Dir };
        var rows = new[] { new PathRow { Image = WriteImage("a.png"), Label = "a" }, new PathRow { Image = WriteImage("b.png"), Label = "b" }, new PathRow { Image = "gone.png", Label = "a" } };
        var error = FitThrows<InvalidOperationException>(ml, ml.Data.LoadFromEnumerable(rows), image);
        Assert.Contains("Image column 'Image', row 2", error.Message);
        Assert.Contains($"'{Path.Combine(Dir, "gone.png")}' was not found", error.Message);
        Assert.IsType<FileNotFoundException>(error.InnerException);

        var model = Pipeline(ml, image).Fit(ml.Data.LoadFromEnumerable(rows[..2]));
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        var scoring = Assert.Throws<InvalidOperationException>(() => scored.GetColumn<VBuffer<float>>(scored.Schema["Score"]).ToList());
        Assert.Contains("row 2", scoring.Message);
        Assert.Contains(Path.Combine(Dir, "gone.png"), scoring.Message);
    }

    [Fact]
    public void EmptyPathIsNamed()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable([new PathRow { Image = " ", Label = "a" }]);
        var error = Assert.Throws<InvalidOperationException>(() => ReadAll(new ImageInput { ColumnName = "Image", Options = Small }, data));
        Assert.Equal("Image column 'Image' has no image in row 0: the path is empty.", error.Message);
    }

    [Fact]
    public void UndecodableBytesAndFilesAreNamed()
    {
        var ml = new MLContext(1);
        using var good = Bitmap(4, 4, (_, _) => SKColors.Gray);
        var png = BarImages.Png(good);
        var rows = new[]
        {
            new BytesRow { Image = png, Label = "a" },
            new BytesRow { Image = "not an image"u8.ToArray(), Label = "b" },
        };
        var error = FitThrows<InvalidOperationException>(ml, ml.Data.LoadFromEnumerable(rows), Small);
        Assert.Contains("Image column 'Image', row 1: the 12 bytes 0x6E6F7420616E2069… could not be decoded as an image (unknown format)", error.Message);

        var truncated = ml.Data.LoadFromEnumerable([new BytesRow { Image = png[..(png.Length / 2)] }]);
        var partial = Assert.Throws<InvalidOperationException>(() => ReadAll(new ImageInput { ColumnName = "Image", Options = Small }, truncated));
        Assert.Contains("row 0", partial.Message);
        Assert.Contains("could not be decoded", partial.Message);

        File.WriteAllText(Path.Combine(Dir, "text.png"), "just text");
        var file = ml.Data.LoadFromEnumerable([new PathRow { Image = "text.png" }]);
        var fileError = Assert.Throws<InvalidOperationException>(() => ReadAll(new ImageInput { ColumnName = "Image", Options = Small with { BaseDirectory = Dir } }, file));
        Assert.Contains($"the file '{Path.Combine(Dir, "text.png")}' could not be decoded", fileError.Message);
    }

    [Fact]
    public void WrongSizeWithResizeNoneNamesBothSizes()
    {
        var ml = new MLContext(1);
        var rows = new[] { new PathRow { Image = WriteImage("ok.png"), Label = "a" }, new PathRow { Image = WriteImage("wide.png", 6, 3), Label = "b" } };
        var error = FitThrows<InvalidOperationException>(ml, ml.Data.LoadFromEnumerable(rows), Small with { BaseDirectory = Dir });
        Assert.Contains($"Image column 'Image', row 1: the file '{Path.Combine(Dir, "wide.png")}' is 6×3 pixels, but the network takes 4×4 and Resize is None.", error.Message);
    }

    [Fact]
    public void ColumnOfAnotherTypeListsTheAcceptedTypes()
    {
        var ml = new MLContext(1);
        var numbers = ml.Data.LoadFromEnumerable([new NumberRow { Image = 1, Label = "a" }, new NumberRow { Image = 2, Label = "b" }]);
        var error = FitThrows<ArgumentOutOfRangeException>(ml, numbers, Small);
        Assert.Contains("Features column 'Image' is Int32; the network reads a known-size vector of Single, or an image (MLImage", error.Message);
        Assert.Contains("image file paths (Text)", error.Message);

        var bind = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageInput { ColumnName = "Image" }.Bind(numbers.Schema));
        Assert.Contains("Features column 'Image' is Int32; an image input reads an image (MLImage", bind.Message);

        // A model trained on paths refuses a column of another type when it meets it.
        var paths = ml.Data.LoadFromEnumerable([new PathRow { Image = WriteImage("a.png"), Label = "a" }, new PathRow { Image = WriteImage("b.png"), Label = "b" }]);
        var model = Pipeline(ml, Small with { BaseDirectory = Dir }).Fit(paths);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(numbers));
    }

    [Fact]
    public void FeatureShapeMustAgreeWithImageOptions()
    {
        var ml = new MLContext(1);
        var paths = ml.Data.LoadFromEnumerable([new PathRow { Image = WriteImage("a.png"), Label = "a" }, new PathRow { Image = WriteImage("b.png"), Label = "b" }]);
        var error = FitThrows<ArgumentOutOfRangeException>(ml, paths, Small with { BaseDirectory = Dir }, [1, 28, 28]);
        Assert.Contains("holds images read as [3, 4, 4]", error.Message);
        Assert.Contains("FeatureShape is [1, 28, 28]", error.Message);

        var same = Pipeline(ml, Small with { BaseDirectory = Dir }, [3, 4, 4]).Fit(paths);
        Assert.NotNull(same);
    }
}
