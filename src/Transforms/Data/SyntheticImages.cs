using Microsoft.ML;

namespace DeepLearning.Transforms.Data;

/// <summary>
/// Generates a small learnable image classification data set, with the same schema as
/// <see cref="IdxDataset.Load"/>: a <c>Features</c> vector of <see cref="float"/> in [0, 1] with
/// <see cref="ImageShapeAnnotations"/> (one channel) and a <c>Label</c> <see cref="float"/> class index.
/// Class <c>k</c> draws a soft bar through the image at angle <c>k * 180 / classes</c> degrees, with a
/// random shift, a random length and brightness, and Gaussian noise, so that no two images are the same
/// but a network (or even a nearest-class-mean rule) can tell the classes apart. Used by samples when
/// Fashion-MNIST is not installed, by tests and by benchmarks.
/// </summary>
public static class SyntheticImages
{
    /// <summary>Generates the data set as an <see cref="IDataView"/>.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="rows">The number of images.</param>
    /// <param name="classes">The number of classes (at least 2); labels are spread evenly over them.</param>
    /// <param name="height">The image height in pixels (at least 4).</param>
    /// <param name="width">The image width in pixels (at least 4).</param>
    /// <param name="seed">The random seed; the same seed gives the same images.</param>
    /// <param name="noise">The standard deviation of the Gaussian pixel noise (values are clipped to [0, 1]).</param>
    /// <returns>The data, held in memory.</returns>
    public static IDataView Generate(MLContext mlContext, int rows, int classes = 10, int height = 28, int width = 28, int seed = 1, double noise = 0.3)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var (pixels, labels, count, h, w) = GenerateArrays(rows, classes, height, width, seed, noise);
        return new ImageArrayDataView(pixels, labels, count, 1, h, w);
    }

    /// <summary>
    /// Generates the data set into flat arrays, as <see cref="IdxDataset.ReadArrays"/> returns them:
    /// pixels row-major, one image after another, and labels as <see cref="float"/> class indices.
    /// </summary>
    /// <param name="rows">The number of images.</param>
    /// <param name="classes">The number of classes (at least 2).</param>
    /// <param name="height">The image height in pixels (at least 4).</param>
    /// <param name="width">The image width in pixels (at least 4).</param>
    /// <param name="seed">The random seed.</param>
    /// <param name="noise">The standard deviation of the Gaussian pixel noise.</param>
    /// <returns>The pixels (<c>Rows * Height * Width</c>), the labels (<c>Rows</c>), and the shape.</returns>
    public static (float[] Pixels, float[] Labels, int Rows, int Height, int Width) GenerateArrays(int rows, int classes = 10, int height = 28, int width = 28, int seed = 1, double noise = 0.3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 4);
        ArgumentOutOfRangeException.ThrowIfNegative(noise);
        int size = checked(height * width);
        _ = checked(rows * size);

        var random = new Random(seed);
        var gaussian = new Gaussian(random);
        var labels = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = i % classes;
        }

        random.Shuffle(labels);

        int side = Math.Min(height, width);
        double maxShift = Math.Max(1.0, side / 10.0);
        double thickness = Math.Max(0.75, side / 16.0);
        double inverseTwoSigma2 = 1.0 / (2 * thickness * thickness);
        var pixels = new float[rows * size];
        for (int r = 0; r < rows; r++)
        {
            double angle = labels[r] * Math.PI / classes;
            double dirY = Math.Sin(angle);
            double dirX = Math.Cos(angle);
            double centreY = (height - 1) / 2.0 + (random.NextDouble() * 2 - 1) * maxShift;
            double centreX = (width - 1) / 2.0 + (random.NextDouble() * 2 - 1) * maxShift;
            double halfLength = side * (0.25 + 0.15 * random.NextDouble());
            double brightness = 0.7 + 0.3 * random.NextDouble();
            var image = pixels.AsSpan(r * size, size);
            for (int y = 0; y < height; y++)
            {
                double dy = y - centreY;
                for (int x = 0; x < width; x++)
                {
                    double dx = x - centreX;
                    double along = dx * dirX + dy * dirY;
                    double across = -dx * dirY + dy * dirX;
                    double value = 0;
                    double beyond = Math.Abs(along) - halfLength;
                    if (beyond < 2 * thickness)
                    {
                        double ends = beyond > 0 ? beyond * beyond : 0;
                        value = brightness * Math.Exp(-(across * across + ends) * inverseTwoSigma2);
                    }

                    if (noise > 0)
                    {
                        value += noise * gaussian.Next();
                    }

                    image[y * width + x] = (float)Math.Clamp(value, 0.0, 1.0);
                }
            }
        }

        return (pixels, labels, rows, height, width);
    }

    /// <summary>Standard normal samples by Box-Muller, using both values of each pair.</summary>
    private sealed class Gaussian(Random random)
    {
        private double _spare;
        private bool _hasSpare;

        public double Next()
        {
            if (_hasSpare)
            {
                _hasSpare = false;
                return _spare;
            }

            // 1 - NextDouble() lies in (0, 1], so the logarithm is finite.
            double radius = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            var (sin, cos) = Math.SinCos(2.0 * Math.PI * random.NextDouble());
            _spare = radius * sin;
            _hasSpare = true;
            return radius * cos;
        }
    }
}
