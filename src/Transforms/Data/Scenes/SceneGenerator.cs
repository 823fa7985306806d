using Microsoft.ML;

namespace DeepLearning.Transforms.Data.Scenes;

/// <summary>
/// Generates detection and segmentation data with exact ground truth: square scenes holding a few items
/// (<see cref="SceneItems"/>: Fashion-MNIST images or geometric shapes) pasted at random scales and
/// positions, coloured, on a noisy background. Each scene comes with the tight box and class of every
/// object and a per-pixel class mask. The same seed gives the same scenes.
/// </summary>
public static class SceneGenerator
{
    /// <summary>Attempts at placing an item whose square overlaps earlier ones too much before it is skipped.</summary>
    private const int PlacementAttempts = 50;

    /// <summary>Generates <paramref name="count"/> scenes.</summary>
    /// <param name="count">Number of scenes; at least 0.</param>
    /// <param name="items">What to paste.</param>
    /// <param name="options">Size, objects per scene, scales, colours, noise, seed. Default <see langword="null"/>: <see cref="SceneOptions"/>' defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option or the count is out of range.</exception>
    public static IReadOnlyList<Scene> Generate(int count, SceneItems items, SceneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        Validation.OptionCheck.Require(count >= 0, count, nameof(count), "at least 0");
        options ??= new SceneOptions();
        options.Validate();
        var random = new Random(options.Seed);
        return Enumerable.Range(0, count).Select(_ => One(random, items, options)).ToArray();
    }

    /// <summary>
    /// The scenes as an <see cref="IDataView"/> in ML.NET's object-detection layout: <c>Image</c> (Single vector
    /// <c>[C, Size, Size]</c> with image-shape annotations), <c>Boxes</c> (variable-length Single vector, 4 per
    /// object, corners in pixels), <c>Labels</c> (variable-length vector of keys, one per object, with the class
    /// names as key values) and <c>Mask</c> (Byte vector <c>[Size, Size]</c>: 0 background, class + 1).
    /// </summary>
    /// <param name="mlContext">The ML.NET context (for symmetry with ML.NET's loaders).</param>
    /// <param name="scenes">Scenes of one size and channel count.</param>
    /// <param name="classNames">The class names (key values of <c>Labels</c>).</param>
    /// <exception cref="ArgumentException">The scenes differ in size or channels, or a label is not a class.</exception>
    public static IDataView ToDataView(MLContext mlContext, IReadOnlyList<Scene> scenes, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new SceneDataView(scenes, classNames);
    }

    private static Scene One(Random random, SceneItems items, SceneOptions options)
    {
        int size = options.Size, channels = options.Channels;
        var background = Colour(random, channels, 0, 0.3);
        var pixels = new float[channels * size * size];
        for (int c = 0; c < channels; c++)
        {
            Array.Fill(pixels, background[c], c * size * size, size * size);
        }

        var mask = new byte[size * size];
        var boxes = new List<float>();
        var labels = new List<int>();
        var squares = new List<(int X, int Y, int Side)>();
        int objects = random.Next(options.MinObjects, options.MaxObjects + 1);
        for (int o = 0; o < objects; o++)
        {
            int item = random.Next(items.Stamps.Length);
            if (Place(random, options, squares) is not { } square)
            {
                continue;
            }

            var stamp = StampResize.Bilinear(items.Stamps[item], items.Side, square.Side);
            var box = Paste(pixels, mask, size, stamp, square, Colour(random, channels, 0.55, 1), (byte)(items.Classes[item] + 1), options.ObjectThreshold);
            if (box is { } b)
            {
                squares.Add(square);
                boxes.AddRange([b.X1, b.Y1, b.X2, b.Y2]);
                labels.Add(items.Classes[item]);
            }
        }

        AddNoise(random, pixels, options.Noise);
        return new Scene(pixels, [.. boxes], [.. labels], mask, channels, size);
    }

    private static (int X, int Y, int Side)? Place(Random random, SceneOptions options, List<(int X, int Y, int Side)> squares)
    {
        int size = options.Size;
        for (int attempt = 0; attempt < PlacementAttempts; attempt++)
        {
            int side = Math.Max(4, (int)Math.Round(size * (options.MinScale + ((options.MaxScale - options.MinScale) * random.NextDouble()))));
            var square = (X: random.Next(size - side + 1), Y: random.Next(size - side + 1), Side: side);
            if (squares.All(s => SquareIou(s, square) <= options.MaxOverlap))
            {
                return square;
            }
        }

        return null;
    }

    /// <summary>Alpha-blends the coloured stamp into the scene, marks its visible pixels in the mask and returns its tight box (null if nothing of it is above the threshold).</summary>
    private static (float X1, float Y1, float X2, float Y2)? Paste(float[] pixels, byte[] mask, int size, float[] stamp, (int X, int Y, int Side) at, float[] colour, byte cls, double threshold)
    {
        int x1 = int.MaxValue, y1 = int.MaxValue, x2 = -1, y2 = -1;
        int plane = size * size;
        for (int y = 0; y < at.Side; y++)
        {
            for (int x = 0; x < at.Side; x++)
            {
                float alpha = stamp[(y * at.Side) + x];
                if (alpha <= 0)
                {
                    continue;
                }

                int p = ((at.Y + y) * size) + at.X + x;
                for (int c = 0; c < colour.Length; c++)
                {
                    pixels[(c * plane) + p] = (pixels[(c * plane) + p] * (1 - alpha)) + (colour[c] * alpha);
                }

                if (alpha > threshold)
                {
                    mask[p] = cls;
                    (x1, y1, x2, y2) = (Math.Min(x1, at.X + x), Math.Min(y1, at.Y + y), Math.Max(x2, at.X + x), Math.Max(y2, at.Y + y));
                }
            }
        }

        return x2 < 0 ? null : (x1, y1, x2 + 1, y2 + 1);
    }

    private static float[] Colour(Random random, int channels, double low, double high)
    {
        if (channels == 1)
        {
            return [(float)(low + ((high - low) * random.NextDouble()))];
        }

        return Enumerable.Range(0, channels).Select(_ => (float)(low + ((high - low) * random.NextDouble()))).ToArray();
    }

    private static void AddNoise(Random random, float[] pixels, double noise)
    {
        if (noise <= 0)
        {
            return;
        }

        for (int i = 0; i < pixels.Length; i++)
        {
            // Box-Muller.
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            pixels[i] = (float)Math.Clamp(pixels[i] + (noise * gaussian), 0, 1);
        }
    }

    private static double SquareIou((int X, int Y, int Side) a, (int X, int Y, int Side) b)
    {
        double w = Math.Max(0, Math.Min(a.X + a.Side, b.X + b.Side) - Math.Max(a.X, b.X));
        double h = Math.Max(0, Math.Min(a.Y + a.Side, b.Y + b.Side) - Math.Max(a.Y, b.Y));
        double intersection = w * h;
        return intersection / ((a.Side * a.Side) + (b.Side * b.Side) - intersection);
    }
}
