using DeepLearning.Transforms.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Data;

public class SyntheticImagesTests
{
    [Fact]
    public void SchemaMatchesIdxDataset()
    {
        var data = SyntheticImages.Generate(new MLContext(1), rows: 20, classes: 4, height: 8, width: 6);
        var vector = Assert.IsType<VectorDataViewType>(data.Schema["Features"].Type);
        Assert.Equal(48, vector.Size);
        Assert.Equal(NumberDataViewType.Single, data.Schema["Label"].Type);
        Assert.True(ImageShapeAnnotations.TryGet(data.Schema["Features"], out int c, out int h, out int w));
        Assert.Equal((1, 8, 6), (c, h, w));
        Assert.Equal(20, data.GetRowCount());
        Assert.Equal(20, data.GetColumn<VBuffer<float>>(data.Schema["Features"]).Count());
    }

    [Fact]
    public void DeterministicForASeed()
    {
        var a = SyntheticImages.GenerateArrays(50, seed: 7);
        var b = SyntheticImages.GenerateArrays(50, seed: 7);
        var c = SyntheticImages.GenerateArrays(50, seed: 8);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Pixels, c.Pixels);
    }

    [Fact]
    public void LabelsCoverAllClassesAndValuesLieInUnitRange()
    {
        var (pixels, labels, rows, height, width) = SyntheticImages.GenerateArrays(37, classes: 7, height: 10, width: 12);
        Assert.Equal((37, 10, 12), (rows, height, width));
        Assert.Equal(37 * 120, pixels.Length);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (float)i), labels.Distinct().OrderBy(l => l));
        Assert.All(pixels, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(pixels, v => v > 0.6f);

        // Images of the same class differ (shifts and noise).
        int first = Array.IndexOf(labels, 0f);
        int second = Array.IndexOf(labels, 0f, first + 1);
        Assert.NotEqual(pixels.AsSpan(first * 120, 120).ToArray(), pixels.AsSpan(second * 120, 120).ToArray());
    }

    [Fact]
    public void NearestClassMeanClassifierIsWellAboveChance()
    {
        const int classes = 10;
        var train = SyntheticImages.GenerateArrays(1000, classes, seed: 1);
        var test = SyntheticImages.GenerateArrays(500, classes, seed: 2);
        int size = train.Height * train.Width;

        var means = new double[classes, size];
        var counts = new int[classes];
        for (int r = 0; r < train.Rows; r++)
        {
            int k = (int)train.Labels[r];
            counts[k]++;
            for (int p = 0; p < size; p++)
            {
                means[k, p] += train.Pixels[r * size + p];
            }
        }

        int correct = 0;
        for (int r = 0; r < test.Rows; r++)
        {
            int best = -1;
            double bestDistance = double.MaxValue;
            for (int k = 0; k < classes; k++)
            {
                double distance = 0;
                for (int p = 0; p < size; p++)
                {
                    double d = test.Pixels[r * size + p] - means[k, p] / counts[k];
                    distance += d * d;
                }

                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = k;
                }
            }

            if (best == (int)test.Labels[r])
            {
                correct++;
            }
        }

        double accuracy = (double)correct / test.Rows;
        Assert.True(accuracy > 0.6, $"Nearest-class-mean accuracy {accuracy:P1} should be well above chance (10%).");
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticImages.GenerateArrays(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticImages.GenerateArrays(10, classes: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticImages.GenerateArrays(10, height: 2));
    }
}
