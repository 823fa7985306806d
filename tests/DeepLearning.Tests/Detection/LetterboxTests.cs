using DeepLearning.Transforms.Detection;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Detection;

/// <summary>Letterbox resize: the geometry, pixels landing where the box mapping says, boxes mapped there and back, and named errors.</summary>
public sealed class LetterboxTests
{
    [Theory]
    [InlineData(LetterboxAlignment.Centre, 0, 52)]
    [InlineData(LetterboxAlignment.TopLeft, 0, 0)]
    public void AWideImageIsScaledToTheWidthAndPaddedVertically(LetterboxAlignment alignment, int padX, int padY)
    {
        var box = Letterbox.Fit(200, 100, 208, alignment);
        Assert.Equal((1.04, 208, 104, padX, padY), (box.Scale, box.ContentWidth, box.ContentHeight, box.PadX, box.PadY));
        var tall = Letterbox.Fit(50, 100, 100, alignment);
        Assert.Equal((50, 100), (tall.ContentWidth, tall.ContentHeight));
    }

    [Theory]
    [InlineData(LetterboxAlignment.Centre)]
    [InlineData(LetterboxAlignment.TopLeft)]
    public void ABrightRectangleLandsOnItsMappedBoxAndBoxesMapBack(LetterboxAlignment alignment)
    {
        using var scope = NewDisposeScope();
        var image = zeros(3, 60, 90, dtype: ScalarType.Float32);
        image[.., 20..40, 30..75] = tensor(1f);
        var original = tensor(new float[] { 30, 20, 75, 40 }).reshape(1, 4);
        var letterbox = Letterbox.Fit(90, 60, 120, alignment);
        var square = letterbox.Apply(image, fill: 0);
        Assert.Equal(new long[] { 3, 120, 120 }, square.shape);

        // The bright pixels' bounds agree with the mapped box within a pixel (bilinear edges).
        var bright = square[0].gt(0.5f).nonzero();
        var found = new[] { bright[.., 1].min(), bright[.., 0].min(), bright[.., 1].max() + 1, bright[.., 0].max() + 1 }.Select(t => t.item<long>()).ToArray();
        var mapped = letterbox.ToSquare(original)[0].data<float>().ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.InRange(found[i], mapped[i] - 1, mapped[i] + 1);
        }

        var back = letterbox.ToSource(letterbox.ToSquare(original));
        Assert.True((back - original).abs().max().item<float>() < 1e-4);
        var outside = letterbox.ToSource(tensor(new float[] { -10, -10, 500, 500 }).reshape(1, 4))[0].data<float>().ToArray();
        Assert.Equal(new float[] { 0, 0, 90, 60 }, outside);

        var batch = letterbox.Apply(stack([image, image.flip(2)]), fill: 0.5);
        Assert.Equal(new long[] { 2, 3, 120, 120 }, batch.shape);
        Assert.Equal(square.data<float>().ToArray(), letterbox.Apply(image.unsqueeze(0), fill: 0)[0].data<float>().ToArray());
    }

    [Fact]
    public void BadSizesAndImagesAreNamed()
    {
        Assert.Equal("size", Assert.Throws<ArgumentOutOfRangeException>(() => Letterbox.Fit(10, 10, 0)).ParamName);
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => Letterbox.Fit(0, 10, 10)).ParamName);
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => Letterbox.Fit(90, 60, 120).Apply(zeros(3, 60, 91)));
        Assert.Contains("[3, 60, 91]", e.Message, StringComparison.Ordinal);
    }
}
