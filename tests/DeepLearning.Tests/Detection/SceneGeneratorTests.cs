using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Data.Scenes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Detection;

/// <summary>Generated scenes: exact boxes and masks checked against each other pixel by pixel, determinism, the data view's detection layout, Fashion-MNIST items, and named option errors.</summary>
public sealed class SceneGeneratorTests
{
    [Fact]
    public void BoxesAreTheTightBoundsOfEachObjectsMaskPixels()
    {
        // No overlap: every object's visible pixels are all of its pixels, so its box must bound exactly its mask pixels.
        var options = new SceneOptions { Size = 64, MinObjects = 1, MaxObjects = 4, MaxOverlap = 0, Seed = 3 };
        var scenes = SceneGenerator.Generate(40, SceneItems.Shapes(), options);
        Assert.All(scenes, scene =>
        {
            Assert.InRange(scene.Count, 1, 4);
            Assert.Equal(4 * scene.Count, scene.Boxes.Length);
            Assert.Equal(3 * 64 * 64, scene.Pixels.Length);
            Assert.All(scene.Pixels, p => Assert.InRange(p, 0f, 1f));
            var covered = new bool[64 * 64];
            for (var o = 0; o < scene.Count; o++)
            {
                var (x1, y1, x2, y2) = ((int)scene.Boxes[4 * o], (int)scene.Boxes[(4 * o) + 1], (int)scene.Boxes[(4 * o) + 2], (int)scene.Boxes[(4 * o) + 3]);
                Assert.True(x2 > x1 && y2 > y1, $"box {o} is empty");
                int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
                for (var y = y1; y < y2; y++)
                {
                    for (var x = x1; x < x2; x++)
                    {
                        if (scene.Mask[(y * 64) + x] == scene.Labels[o] + 1)
                        {
                            covered[(y * 64) + x] = true;
                            (minX, minY, maxX, maxY) = (Math.Min(minX, x), Math.Min(minY, y), Math.Max(maxX, x), Math.Max(maxY, y));
                        }
                    }
                }

                Assert.Equal((x1, y1, x2, y2), (minX, minY, maxX + 1, maxY + 1));
            }

            // Every object pixel of the mask belongs to a box of its class.
            Assert.All(Enumerable.Range(0, 64 * 64), p => Assert.True(scene.Mask[p] == 0 || covered[p], $"mask pixel {p} is outside every box"));
        });
        Assert.True(scenes.Sum(s => s.Count) > 40 * 1.5, "scenes hold several objects");
    }

    [Fact]
    public void ObjectsStandOutAndTheSameSeedGivesTheSameScenes()
    {
        var items = SceneItems.Shapes();
        var scenes = SceneGenerator.Generate(10, items, new SceneOptions { Seed = 5 });
        var again = SceneGenerator.Generate(10, items, new SceneOptions { Seed = 5 });
        var other = SceneGenerator.Generate(10, items, new SceneOptions { Seed = 6 });
        Assert.Equal(scenes.Select(s => s.Pixels), again.Select(s => s.Pixels));
        Assert.Equal(scenes.Select(s => s.Boxes), again.Select(s => s.Boxes));
        Assert.NotEqual(scenes.Select(s => s.Boxes), other.Select(s => s.Boxes));

        // Objects are painted brighter than the background: the mean over object pixels exceeds the rest.
        foreach (var scene in scenes)
        {
            int plane = scene.Size * scene.Size;
            double Mean(bool inside) => Enumerable.Range(0, plane).Where(p => (scene.Mask[p] != 0) == inside).Average(p => (scene.Pixels[p] + scene.Pixels[plane + p] + scene.Pixels[(2 * plane) + p]) / 3.0);
            Assert.True(Mean(true) > Mean(false) + 0.1, "objects stand out from the background");
        }
    }

    [Fact]
    public void TheDataViewFollowsMlNetsDetectionLayout()
    {
        var ml = new MLContext(seed: 1);
        var items = SceneItems.Shapes();
        var scenes = SceneGenerator.Generate(6, items, new SceneOptions { Size = 48, Channels = 1 });
        var view = SceneGenerator.ToDataView(ml, scenes, items.ClassNames);

        Assert.True(ImageShapeAnnotations.TryGet(view.Schema["Image"], out var channels, out var height, out var width));
        Assert.Equal((1, 48, 48), (channels, height, width));
        var labelType = Assert.IsType<VectorDataViewType>(view.Schema["Labels"].Type);
        Assert.Equal(5UL, Assert.IsType<KeyDataViewType>(labelType.ItemType).Count);
        Assert.False(labelType.IsKnownSize);
        VBuffer<ReadOnlyMemory<char>> names = default;
        view.Schema["Labels"].GetKeyValues(ref names);
        Assert.Equal(items.ClassNames, names.DenseValues().Select(n => n.ToString()));

        var boxes = view.GetColumn<float[]>("Boxes").ToList();
        var labels = view.GetColumn<uint[]>("Labels").ToList();
        for (var i = 0; i < scenes.Count; i++)
        {
            Assert.Equal(scenes[i].Boxes, boxes[i]);
            Assert.Equal(scenes[i].Labels.Select(l => (uint)(l + 1)), labels[i]);
        }

        Assert.Equal(scenes[2].Mask, view.GetColumn<byte[]>("Mask").ElementAt(2));
        Assert.Contains("label 7", Assert.Throws<ArgumentException>(() => SceneGenerator.ToDataView(ml, [scenes[0] with { Labels = [7] }], items.ClassNames)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FashionMnistItemsArePastedWithTheirClasses()
    {
        if (!IdxDataset.Exists())
        {
            return; // Fashion-MNIST is optional (Debian package dataset-fashion-mnist); the shapes cover the generator.
        }

        var items = SceneItems.FashionMnist(maxItems: 200);
        Assert.Equal(10, items.ClassNames.Count);
        var scenes = SceneGenerator.Generate(20, items, new SceneOptions { Size = 96, Seed = 2 });
        Assert.Contains(scenes.SelectMany(s => s.Labels).Distinct(), l => l > 4);
        Assert.All(scenes.SelectMany(s => s.Labels), l => Assert.InRange(l, 0, 9));
    }

    [Fact]
    public void BadOptionsAreNamed()
    {
        var items = SceneItems.Shapes();
        Assert.Equal("MaxObjects", Assert.Throws<ArgumentOutOfRangeException>(() => SceneGenerator.Generate(1, items, new SceneOptions { MinObjects = 3, MaxObjects = 2 })).ParamName);
        Assert.Equal("Size", Assert.Throws<ArgumentOutOfRangeException>(() => SceneGenerator.Generate(1, items, new SceneOptions { Size = 16 })).ParamName);
        Assert.Equal("Channels", Assert.Throws<ArgumentOutOfRangeException>(() => SceneGenerator.Generate(1, items, new SceneOptions { Channels = 2 })).ParamName);
        Assert.Equal("MaxScale", Assert.Throws<ArgumentOutOfRangeException>(() => SceneGenerator.Generate(1, items, new SceneOptions { MinScale = 0.5, MaxScale = 0.4 })).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => SceneGenerator.Generate(-1, items)).ParamName);
    }
}
