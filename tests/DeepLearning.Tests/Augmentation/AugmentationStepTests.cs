using DeepLearning.Trainers.Augmentation;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Augmentation;

public class AugmentationStepTests
{
    [Theory]
    [InlineData(FlipAxis.Horizontal)]
    [InlineData(FlipAxis.Vertical)]
    public void FlippingTwiceIsTheIdentity(FlipAxis axis)
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(8, 3, 5, 7);
        var flip = new Flip { Axis = axis, Probability = 1 };
        var once = Images.Run(flip, input);
        Assert.False(once.Same(input));
        Assert.Equal(input.flip(axis == FlipAxis.Horizontal ? 3 : 2).data<float>().ToArray(), once.data<float>().ToArray());
        Assert.True(Images.Run(flip, once).Same(input));
    }

    [Fact]
    public void EachSampleDecidesOnItsOwn()
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(64, 1, 4, 4);
        var output = Images.Run(new Flip(), input);
        var flipped = output.eq(input.flip(3)).all(1).all(1).all(1);
        var kept = output.eq(input).all(1).all(1).all(1);
        Assert.True(flipped.logical_or(kept).all().item<bool>());
        Assert.InRange(flipped.sum().item<long>(), 1, 63);
        Assert.InRange(kept.sum().item<long>(), 1, 63);
    }

    public static TheoryData<AugmentationStep> EveryStep => new()
    {
        new Flip(),
        new Flip { Axis = FlipAxis.Vertical },
        new RandomCrop { Padding = 3 },
        new RandomAffine { MaxRotationDegrees = 30, MaxTranslation = 0.2, MinScale = 0.8, MaxScale = 1.2, Fill = 0.5 },
        new RandomResizedCrop(),
        new RandomErasing { Noise = true },
        new ColorJitter { Brightness = 0.4, Contrast = 0.4, Saturation = 0.4 },
    };

    [Theory]
    [MemberData(nameof(EveryStep))]
    public void ProbabilityZeroIsTheIdentityAndShapesAreKept(AugmentationStep step)
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(16, 3, 9, 12);
        Assert.True(Images.Run(step with { Probability = 0 }, input).Same(input));
        var output = Images.Run(step with { Probability = 1 }, input);
        Assert.Equal(input.shape, output.shape);
        Assert.False(output.Same(input));
    }

    [Fact]
    public void ACropIsAnIntegerShiftWithinThePadding()
    {
        using var scope = NewDisposeScope();
        var input = arange(1, 1 + (32 * 6 * 6), ScalarType.Float32).view(32, 1, 6, 6);
        var output = Images.Run(new RandomCrop { Padding = 2 }, input);
        for (var b = 0; b < 32; b++)
        {
            var image = output[b, 0];
            var first = image.gt(0).nonzero()[0];
            var (row, col) = (first[0].item<long>(), first[1].item<long>());
            var value = (long)image[row, col].item<float>() - 1 - (b * 36);
            var (dy, dx) = (row - (value / 6), col - (value % 6));
            Assert.InRange(dy, -2, 2);
            Assert.InRange(dx, -2, 2);
            Assert.True(image.Same(Shift(input[b, 0], dy, dx)));
        }
    }

    [Fact]
    public void RotationByZeroAndScaleOneIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(8, 3, 7, 10);
        var output = Images.Run(new RandomAffine { Fill = 3 }, input);
        Assert.True(output.allclose(input, rtol: 0, atol: 1e-5));
    }

    [Theory]
    [InlineData(6, 6)]
    [InlineData(4, 8)]
    public void AQuarterTurnIsExactAndNonSquareImagesAreNotSheared(long height, long width)
    {
        using var scope = NewDisposeScope();

        // A quarter turn of a centred square patch inside a possibly non-square image is the patch turned by rot90.
        var patch = Images.Random(2, 1, 4, 4);
        var input = zeros(2, 1, height, width);
        input[.., .., TensorIndex.Slice((height - 4) / 2, (height + 4) / 2), TensorIndex.Slice((width - 4) / 2, (width + 4) / 2)] = patch;
        var theta = RandomAffine.Theta(full([2], Math.PI / 2), ones(2), zeros(2), zeros(2), (double)height / width);
        var turned = nn.functional.grid_sample(input, nn.functional.affine_grid(theta, input.shape, align_corners: false), align_corners: false);
        var centre = turned[.., .., TensorIndex.Slice((height - 4) / 2, (height + 4) / 2), TensorIndex.Slice((width - 4) / 2, (width + 4) / 2)];
        var expected = patch.rot90(1, (2, 3));
        Assert.True(centre.allclose(expected, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void AFullSquareResizedCropIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(8, 3, 6, 9);
        var output = Images.Run(new RandomResizedCrop { MinArea = 1, MinRatio = 1, MaxRatio = 1 }, input);
        Assert.True(output.allclose(input, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void ATranslationMovesPixelsAndKeepsTheShape()
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(8, 3, 6, 9);
        var output = Images.Run(new RandomAffine { MaxTranslation = 0.3 }, input);
        Assert.Equal(input.shape, output.shape);
        Assert.False(output.allclose(input, rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void ErasingTouchesOnlyTheChosenRectangle()
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(32, 3, 10, 12);
        var erasing = new RandomErasing { Probability = 1, Value = 7 };
        var output = Images.Run(erasing, input);
        var changed = output.ne(input);
        var erased = output.eq(7);
        Assert.True(changed.eq(erased).all().item<bool>());
        for (var b = 0; b < 32; b++)
        {
            var mask = erased[b, 0];
            Assert.True(erased[b].eq(mask).all().item<bool>());
            var rows = mask.any(1).nonzero().view(-1);
            var cols = mask.any(0).nonzero().view(-1);
            Assert.True(rows.numel() > 0 && cols.numel() > 0);
            var (top, bottom) = (rows.min().item<long>(), rows.max().item<long>());
            var (left, right) = (cols.min().item<long>(), cols.max().item<long>());
            Assert.Equal((bottom - top + 1) * (right - left + 1), mask.sum().item<long>());
        }
    }

    [Fact]
    public void ColourJitterOfZeroStrengthIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        var input = Images.Random(8, 3, 5, 5);
        Assert.True(Images.Run(new ColorJitter(), input).Same(input));
    }

    [Fact]
    public void SaturationNeedsThreeChannels()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<InvalidOperationException>(() => Images.Run(new ColorJitter { Saturation = 0.5 }, Images.Random(2, 1, 4, 4)));
        Assert.Contains("ColorJitter.Saturation", error.Message, StringComparison.Ordinal);
    }

    private static Tensor Shift(Tensor image, long dy, long dx)
    {
        var (h, w) = (image.shape[0], image.shape[1]);
        var padded = nn.functional.pad(image.view(1, 1, h, w), [2, 2, 2, 2]);
        return padded[0, 0].narrow(0, 2 - dy, h).narrow(1, 2 - dx, w);
    }
}
