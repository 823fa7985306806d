using DeepLearning.Trainers.Augmentation;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Augmentation;

/// <summary>
/// Boxes follow augmentation: each box is drawn as a filled rectangle in a channel of its own, the images
/// are augmented, and the tight box of each channel's pixels is compared with the box the step returns.
/// </summary>
public class BoxAugmentationTests
{
    private const int Batch = 24;
    private const int Objects = 3;
    private const int Height = 24;
    private const int Width = 32;

    public static TheoryData<AugmentationStep> GeometricSteps => new()
    {
        new Flip(),
        new Flip { Axis = FlipAxis.Vertical },
        new RandomCrop { Padding = 6, Probability = 0.8 },
        new RandomAffine { MinScale = 0.7, MaxScale = 1.4, MaxTranslation = 0.25, Probability = 0.8 },
        new RandomResizedCrop { MinArea = 0.3, MinRatio = 0.6, MaxRatio = 1.6, Probability = 0.8 },
    };

    [Theory]
    [MemberData(nameof(GeometricSteps))]
    public void TheMovedBoxIsTheTightBoxOfTheMovedPixels(AugmentationStep step)
    {
        using var scope = NewDisposeScope();
        var (boxes, valid) = BoxImages.Random(Batch, Objects, Height, Width);
        var input = BoxImages.Draw(boxes, valid, Height, Width);
        var (images, moved, kept) = BoxImages.Run(step, input, boxes, valid);

        // The box path draws what the image path draws.
        Assert.True(images.Same(Images.Run(step, input)));

        var (recovered, present) = BoxImages.Recover(images);
        var error = (recovered - BoxImages.Pixels(moved, Height, Width)).abs().amax(-1);
        Assert.True(present.logical_or(kept.logical_not()).all().item<bool>(), "every kept box has pixels");
        Assert.True(error.masked_fill(kept.logical_not(), 0).le(1).all().item<bool>(), $"largest error of a kept box {error.masked_fill(kept.logical_not(), 0).max().item<float>()} px");
        Assert.True(moved.ge(0).logical_and(moved.le(1)).all().item<bool>(), "boxes are clipped to the image");
        Assert.True(kept.logical_and(valid.logical_not()).any().item<bool>() == false, "padding stays padding");
        Assert.True(moved.masked_select(kept.logical_not().unsqueeze(-1)).eq(0).all().item<bool>(), "removed and padding boxes are 0");
        Assert.False(moved.Same(boxes), "the step moved some boxes");
    }

    [Fact]
    public void ARotatedObjectLiesInsideItsBoxAndTouchesItsSides()
    {
        using var scope = NewDisposeScope();
        var (boxes, valid) = BoxImages.Random(Batch, Objects, Height, Width, seed: 5);
        var input = BoxImages.Draw(boxes, valid, Height, Width);
        var (images, moved, kept) = BoxImages.Run(new RandomAffine { MaxRotationDegrees = 45, MinScale = 0.8, MaxScale = 1.2 }, input, boxes, valid);
        var (recovered, _) = BoxImages.Recover(images);
        var envelope = BoxImages.Pixels(moved, Height, Width);
        var outward = stack([envelope[.., .., 0] - recovered[.., .., 0], envelope[.., .., 1] - recovered[.., .., 1], recovered[.., .., 2] - envelope[.., .., 2], recovered[.., .., 3] - envelope[.., .., 3]], -1);
        var shown = kept.unsqueeze(-1).expand_as(outward);

        // Inside the envelope within a pixel; and, unless clipped, the envelope is tight: the rectangle's corners are its extremes.
        // (A clipped envelope may be wider than the visible part, as a corner outside the image still counts.)
        Assert.True(outward.masked_select(shown).le(1).all().item<bool>(), $"object outside its box by {outward.masked_select(shown).max().item<float>()} px");
        var inside = shown.logical_and(moved.gt(0).logical_and(moved.lt(1)).all(-1, keepdim: true).expand_as(outward));
        Assert.True(inside.sum().item<long>() > 4 * Batch / 2, $"{inside.sum().item<long>() / 4} boxes not clipped");
        Assert.True(outward.masked_select(inside).ge(-1.5).all().item<bool>(), $"box larger than the object by {-outward.masked_select(inside).min().item<float>()} px");
        Assert.True(kept.sum().item<long>() > Batch, "most boxes survive a rotation about the centre");
    }

    [Fact]
    public void FlippingTwiceReturnsTheOriginalBoxes()
    {
        using var scope = NewDisposeScope();
        var (boxes, valid) = BoxImages.Random(Batch, Objects, Height, Width);
        var input = BoxImages.Draw(boxes, valid, Height, Width);
        var twice = new AugmentationPipeline([new Flip { Probability = 1 }, new Flip { Axis = FlipAxis.Vertical, Probability = 1 }, new Flip { Probability = 1 }, new Flip { Axis = FlipAxis.Vertical, Probability = 1 }]);
        var (images, moved, kept) = twice.Apply(input, boxes, valid, 1, 1);
        Assert.True(images.Same(input));
        Assert.True(kept.Same(valid));
        Assert.True(moved.allclose(boxes.masked_fill(valid.logical_not().unsqueeze(-1), 0), rtol: 0, atol: 1e-6));

        var once = new AugmentationPipeline([new Flip { Probability = 1 }]).Apply(input, boxes, valid, 1, 1).Boxes;
        var expected = stack([1 - boxes[.., .., 2], boxes[.., .., 1], 1 - boxes[.., .., 0], boxes[.., .., 3]], -1).masked_fill(valid.logical_not().unsqueeze(-1), 0);
        Assert.True(once.allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void ClippingKeepsBoxesMostlyInsideAndRemovesTheRest()
    {
        using var scope = NewDisposeScope();

        // In a 10×10 image: inside; 60% inside (clipped); 20% inside (removed); fully outside; 0.5 px wide after clipping; inverted by a shift past the edge.
        var boxes = tensor(new float[]
        {
            0.2f, 0.2f, 0.5f, 0.6f,
            -0.2f, 0.1f, 0.3f, 0.5f,
            0.9f, 0.1f, 1.4f, 0.5f,
            1.1f, 0.2f, 1.3f, 0.4f,
            0.95f, 0.1f, 1.0f, 0.9f,
            1.2f, -0.5f, 1.5f, -0.2f,
        }).view(1, 6, 4);
        var (clipped, kept) = BoxGeometry.Clip(boxes, 10, 10);
        Assert.Equal(new[] { true, true, false, false, false, false }, kept.data<bool>().ToArray());
        float[] expected = [0.2f, 0.2f, 0.5f, 0.6f, 0f, 0.1f, 0.3f, 0.5f, .. new float[16]];
        Assert.True(clipped.allclose(tensor(expected).view(1, 6, 4), rtol: 0, atol: 1e-6));
        Assert.Equal(0.25, BoxGeometry.MinVisibleFraction);
    }

    [Fact]
    public void ShiftedObjectsAreKeptWhenAQuarterStaysInside()
    {
        using var scope = NewDisposeScope();
        var (boxes, valid) = BoxImages.Random(64, Objects, Height, Width, seed: 9);
        var input = BoxImages.Draw(boxes, valid, Height, Width);
        var (images, moved, kept) = BoxImages.Run(new RandomAffine { MaxTranslation = 0.5 }, input, boxes, valid);

        // A translation keeps the area: the pixels still inside, over the box's own, is the visible share.
        var pixels = BoxImages.Pixels(boxes, Height, Width);
        var (w, h) = (pixels[.., .., 2] - pixels[.., .., 0], pixels[.., .., 3] - pixels[.., .., 1]);
        var (area, perimeter) = (w * h, 2 * (w + h));
        var visible = images.gt(0.5).sum([2, 3]).to_type(ScalarType.Float32);
        var quarter = area * BoxGeometry.MinVisibleFraction;
        var removed = valid.logical_and(kept.logical_not());
        Assert.True(visible.ge(quarter - perimeter).masked_select(kept).all().item<bool>(), "kept boxes show at least a quarter");
        Assert.True(visible.le(quarter + perimeter).masked_select(removed).all().item<bool>(), "removed boxes show at most a quarter");
        Assert.True(removed.sum().item<long>() > 5, $"{removed.sum().item<long>()} boxes pushed out");
        static Tensor AtBorder(Tensor b) => b.eq(0).logical_or(b.eq(1)).any(-1);
        var touches = AtBorder(moved).logical_and(kept).logical_and(AtBorder(boxes).logical_not());
        Assert.True(touches.sum().item<long>() > 5, $"{touches.sum().item<long>()} boxes clipped at the border");
    }

    [Fact]
    public void TheSameSeedGivesTheSameBoxesAndSamplesDecideOnTheirOwn()
    {
        using var scope = NewDisposeScope();
        var (one, oneValid) = BoxImages.Random(1, Objects, Height, Width);
        var boxes = one.expand(64, Objects, 4).contiguous();
        var valid = oneValid.expand(64, Objects).contiguous();
        var input = BoxImages.Draw(boxes, valid, Height, Width);
        var pipeline = new AugmentationPipeline([new Flip(), new RandomCrop { Padding = 3, Probability = 0.5 }], seed: 4);
        var first = pipeline.Apply(input, boxes, valid, 2, 3).Boxes;
        Assert.True(first.Same(new AugmentationPipeline(pipeline.Steps, 4).Apply(input, boxes, valid, 2, 3).Boxes));
        Assert.False(first.Same(new AugmentationPipeline(pipeline.Steps, 5).Apply(input, boxes, valid, 2, 3).Boxes));
        Assert.False(first.Same(pipeline.Apply(input, boxes, valid, 2, 4).Boxes));

        var flips = new AugmentationPipeline([new Flip()], seed: 4).Apply(input, boxes, valid, 1, 1).Boxes;
        var unchanged = flips.eq(boxes).all(-1).all(-1).sum().item<long>();
        Assert.InRange(unchanged, 10, 54);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void PhotometricStepsKeepEveryBox(int which)
    {
        using var scope = NewDisposeScope();
        AugmentationStep step = which == 0 ? new ColorJitter { Brightness = 0.5, Contrast = 0.5, Probability = 1 } : new RandomErasing { Probability = 1, Value = 1 };

        // A box thinner than a pixel would be removed by a geometric step, not by these.
        var (boxes, valid) = BoxImages.Random(Batch, Objects, Height, Width);
        boxes[0, 0, 2] = boxes[0, 0, 0] + (0.5f / Width);
        var input = Images.Random(Batch, 3, Height, Width);
        var (images, moved, kept) = BoxImages.Run(step, input, boxes, valid);
        Assert.False(images.Same(input));
        Assert.True(moved.Same(boxes));
        Assert.True(kept.Same(valid));
    }

    [Fact]
    public void BadBoxesAreRefusedWithTheirShapes()
    {
        using var scope = NewDisposeScope();
        var pipeline = new AugmentationPipeline([new Flip()]);
        var input = zeros(2, 1, 4, 4);
        var e = Assert.Throws<ArgumentException>(() => pipeline.Apply(input, zeros(3, 1, 4), ones(3, 1, ScalarType.Bool), 1, 1));
        Assert.Contains("[2, M, 4] for 2 images, not Float32 [3, 1, 4]", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => pipeline.Apply(input, zeros(2, 1, 4), ones(2, 1), 1, 1));
        Assert.Contains("Bool [2, 1], not Float32 [2, 1]", e.Message, StringComparison.Ordinal);
    }
}
