using DeepLearning.Trainers;
using DeepLearning.Trainers.Augmentation;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Tasks.Detection;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Data.Scenes;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks.Architectures;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Augmentation;

/// <summary>The box layouts of task targets, <see cref="BoxAugmentation"/> on batches, and localisation training with moved boxes.</summary>
public class BoxTargetsTests
{
    private const int Size = 32;
    private static readonly SceneItems Items = SceneItems.Shapes();

    [Fact]
    public void PaddedTargetsRoundTripAndRemovedObjectsBecomePadding()
    {
        using var scope = NewDisposeScope();
        var target = tensor(new float[] { 2, 0.1f, 0.2f, 0.5f, 0.6f, 0, 0.3f, 0.3f, 0.9f, 1, -1, 0, 0, 0, 0 }).view(1, 3, 5);
        var codec = new PaddedBoxTargets();
        var (boxes, valid) = codec.Read(target);
        Assert.Equal(new[] { true, true, false }, valid.data<bool>().ToArray());
        Assert.Equal(new[] { 0.1f, 0.2f, 0.5f, 0.6f }, boxes[0, 0].data<float>().ToArray());
        Assert.True(codec.Write(target, boxes, valid).Same(target));

        var removed = codec.Write(target, boxes, tensor(new[] { false, true, false }).view(1, 3));
        Assert.Equal(new float[] { -1, 0, 0, 0, 0, 0, 0.3f, 0.3f, 0.9f, 1, -1, 0, 0, 0, 0 }, removed.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => codec.Read(zeros(1, 3, 4)));
    }

    [Fact]
    public void LocalisationTargetsRoundTripAndARemovedBoxIsNoObject()
    {
        using var scope = NewDisposeScope();

        // Row 0: class 2 at centre (0.5, 0.25), size (0.2, 0.4); row 1: no object.
        var target = tensor(new float[] { 1, 2, 0.5f, 0.25f, 0.2f, 0.4f, 0, -1, 0, 0, 0, 0 }).view(2, 6);
        var codec = new ObjectLocalizationTask().BoxTargets!;
        var (boxes, valid) = codec.Read(target);
        Assert.Equal([2L, 1, 4], boxes.shape);
        Assert.Equal(new[] { true, false }, valid.data<bool>().ToArray());
        Assert.True(boxes[0, 0].allclose(tensor(new[] { 0.4f, 0.05f, 0.6f, 0.45f }), rtol: 0, atol: 1e-6));
        Assert.True(codec.Write(target, boxes, valid).allclose(target, rtol: 0, atol: 1e-6));
        Assert.Equal(new float[] { 0, -1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0 }, codec.Write(target, boxes, zeros(2, 1, ScalarType.Bool)).data<float>().ToArray());
    }

    [Fact]
    public void TheLossSeesTheMovedBoxOnThePixelScale()
    {
        using var scope = NewDisposeScope();

        // Two 8×8 images each holding a 2×4 bar at x 1..3, y 2..6, standardised by mean 0.5, std 0.25.
        var target = tensor(new float[] { 1, 0, 0.25f, 0.5f, 0.25f, 0.5f, 1, 1, 0.25f, 0.5f, 0.25f, 0.5f }).view(2, 6);
        var pixels = zeros(2, 1, 8, 8);
        pixels[.., .., 2..6, 1..3] = ones(2, 1, 4, 2);
        var normalization = new InputNormalization([0.5f], [0.25f]);
        var standardised = (pixels - 0.5f) / 0.25f;
        var pipeline = new AugmentationPipeline([new Flip { Probability = 1 }]);
        var augmentation = pipeline.ForTraining(new ObjectLocalizationTask().BoxTargets, normalization, [1, 8, 8]);
        var batch = augmentation.Apply(new Batch(standardised, target), 1, 1);

        Assert.True(batch.Input.allclose((pixels.flip(3) - 0.5f) / 0.25f, rtol: 0, atol: 1e-6));
        var expected = tensor(new float[] { 1, 0, 0.75f, 0.5f, 0.25f, 0.5f, 1, 1, 0.75f, 0.5f, 0.25f, 0.5f }).view(2, 6);
        Assert.True(batch.Target.allclose(expected, rtol: 0, atol: 1e-6));

        // Without box targets the targets are left alone.
        Assert.True(pipeline.ForTraining(null, normalization, [1, 8, 8]).Apply(new Batch(standardised, target), 1, 1).Target.Same(target));
    }

    [Fact]
    public void ObjectsPushedOutBecomeNoObjectAndPaddingStaysPadding()
    {
        using var scope = NewDisposeScope();
        var (boxes, valid) = BoxImages.Random(64, 3, Size, Size, seed: 11);
        var classes = arange(3, ScalarType.Float32).expand(64, 3).masked_fill(valid.logical_not(), -1);
        var target = cat([classes.unsqueeze(-1), boxes.masked_fill(valid.logical_not().unsqueeze(-1), 0)], -1);
        var pipeline = new AugmentationPipeline([new Flip(), new RandomAffine { MaxTranslation = 0.5, MaxRotationDegrees = 20 }, new ColorJitter { Brightness = 0.3 }], seed: 2);
        var input = BoxImages.Draw(boxes, valid, Size, Size);
        var moved = new BoxAugmentation(pipeline, new PaddedBoxTargets()).Apply(new Batch(input, target), 1, 1).Target;

        var padding = moved[.., .., 0].lt(0);
        Assert.True(padding.logical_or(valid).all().item<bool>(), "padding rows stay padding");
        var removed = padding.logical_and(valid);
        Assert.True(removed.sum().item<long>() > 5, $"{removed.sum().item<long>()} objects pushed out");
        Assert.True(moved.masked_select(padding.unsqueeze(-1).expand_as(moved)).eq(tensor(new float[] { -1, 0, 0, 0, 0 }).expand_as(moved).masked_select(padding.unsqueeze(-1).expand_as(moved))).all().item<bool>());
        Assert.True(moved[.., .., 0].eq(target[.., .., 0]).logical_or(removed).all().item<bool>(), "kept objects keep their class");
    }

    [Fact]
    public void ALocalizerTrainedOnFlippedImagesFindsMirroredObjects()
    {
        // Every training object lies in the left half and every training image is flipped, so with moved boxes the
        // network only ever sees objects, and their boxes, in the right half; unmoved boxes would teach it the left half.
        var ml = new MLContext(seed: 1);
        var options = new SceneOptions { Size = Size, MinObjects = 1, MaxObjects = 1, MinScale = 0.3, MaxScale = 0.45, Channels = 1, Seed = 1 };
        var left = SceneGenerator.Generate(300, Items, options).Where(s => s.Boxes[0] + s.Boxes[2] < Size).Take(120).ToArray();
        var trainer = ml.MulticlassClassification.Trainers.ObjectLocalization(new ConvolutionalNeuralNetworkTrainer.Options
        {
            LabelColumnName = "Labels",
            FeatureColumnName = "Image",
            Architecture = new SmallCnnSpec { WidthMultiplier = 0.25 },
            Augmentation = new AugmentationPipeline([new Flip { Probability = 1 }]),
            NormalizeFeatures = true,
            Epochs = 3,
            BatchSize = 16,
            LearningRate = 2e-3,
            NumberOfThreads = 2,
        });
        var model = trainer.Fit(SceneGenerator.ToDataView(ml, left, Items.ClassNames));

        var mirrored = left.Take(60).Select(Mirror).ToArray();
        var boxes = model.Transform(SceneGenerator.ToDataView(ml, mirrored, Items.ClassNames)).GetColumn<float[]>(ObjectLocalizationHead.BoundingBoxColumn).ToArray();
        var centres = boxes.Select(b => (b[0] + b[2]) / 2).ToArray();
        var truth = mirrored.Select(s => (s.Boxes[0] + s.Boxes[2]) / 2).ToArray();
        Assert.True(centres.Count(c => c > Size / 2) > 50, $"{centres.Count(c => c > Size / 2)} of 60 predicted centres in the right half");
        var error = centres.Zip(truth).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(error < 4, $"mean error of the centre's x {error} px");
    }

    [Fact]
    public void MixingIsRefusedForLocalisation()
    {
        var ml = new MLContext(seed: 1);
        var scenes = SceneGenerator.Generate(8, Items, new SceneOptions { Size = Size, MinObjects = 1, MaxObjects = 1, Channels = 1 });
        var e = Assert.ThrowsAny<Exception>(() => ml.MulticlassClassification.Trainers.ObjectLocalization(new ConvolutionalNeuralNetworkTrainer.Options
        {
            LabelColumnName = "Labels",
            FeatureColumnName = "Image",
            Architecture = new SmallCnnSpec { WidthMultiplier = 0.25 },
            Mixing = new CutMix(),
            Epochs = 1,
        }).Fit(SceneGenerator.ToDataView(ml, scenes, Items.ClassNames)));
        Assert.Contains("ObjectLocalizationTask cannot mix its targets: mixup and CutMix blend two images into one, and its targets hold boxes.", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The scene mirrored left–right, boxes included.</summary>
    private static Scene Mirror(Scene scene)
    {
        var pixels = new float[scene.Pixels.Length];
        for (var row = 0; row < scene.Channels * scene.Size; row++)
        {
            for (var col = 0; col < scene.Size; col++)
            {
                pixels[(row * scene.Size) + col] = scene.Pixels[(row * scene.Size) + scene.Size - 1 - col];
            }
        }

        var b = scene.Boxes;
        return scene with { Pixels = pixels, Boxes = [scene.Size - b[2], b[1], scene.Size - b[0], b[3]] };
    }
}
