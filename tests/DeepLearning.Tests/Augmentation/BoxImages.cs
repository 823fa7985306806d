using DeepLearning.Trainers.Augmentation;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Augmentation;

/// <summary>Boxes drawn into images, one channel per box, and boxes recovered from the pixels.</summary>
internal static class BoxImages
{
    /// <summary>
    /// Random pixel-aligned boxes <c>[B, M, 4]</c> normalised by (<paramref name="width"/>, <paramref name="height"/>),
    /// at least 3 px a side and within the image; in odd samples the last box is padding (not valid).
    /// </summary>
    public static (Tensor Boxes, Tensor Valid) Random(int batch, int objects, int height, int width, int seed = 3)
    {
        var random = new Random(seed);
        var values = new float[batch * objects * 4];
        var valid = new bool[batch * objects];
        for (var i = 0; i < batch * objects; i++)
        {
            var (w, h) = (random.Next(3, (width / 2) + 1), random.Next(3, (height / 2) + 1));
            var (x, y) = (random.Next(0, width - w + 1), random.Next(0, height - h + 1));
            values[4 * i] = (float)x / width;
            values[(4 * i) + 1] = (float)y / height;
            values[(4 * i) + 2] = (float)(x + w) / width;
            values[(4 * i) + 3] = (float)(y + h) / height;
            valid[i] = i % objects != objects - 1 || i / objects % 2 == 0;
        }

        return (tensor(values).view(batch, objects, 4), tensor(valid).view(batch, objects));
    }

    /// <summary>Images <c>[B, M, H, W]</c>: channel m is 1 inside box m of the sample when it is valid, else 0.</summary>
    public static Tensor Draw(Tensor boxes, Tensor valid, int height, int width)
    {
        var pixels = boxes * tensor(new float[] { width, height, width, height });
        var cols = arange(width, ScalarType.Float32).add(0.5).view(1, 1, 1, width);
        var rows = arange(height, ScalarType.Float32).add(0.5).view(1, 1, height, 1);
        var (x1, y1, x2, y2) = Corner(pixels);
        var inside = cols.gt(x1).logical_and(cols.lt(x2)).logical_and(rows.gt(y1)).logical_and(rows.lt(y2));
        return inside.logical_and(valid.unsqueeze(-1).unsqueeze(-1)).to_type(ScalarType.Float32);
    }

    /// <summary>Each channel's tight box in pixels <c>[B, M, 4]</c> of the pixels above one half, and whether it has any.</summary>
    public static (Tensor Boxes, Tensor Present) Recover(Tensor images)
    {
        var (h, w) = (images.shape[2], images.shape[3]);
        var mask = images.gt(0.5);
        var cols = mask.any(2);
        var rows = mask.any(3);
        var x = arange(w, ScalarType.Float32).expand_as(cols);
        var y = arange(h, ScalarType.Float32).expand_as(rows);
        var boxes = stack(
            [
                x.masked_fill(cols.logical_not(), w).amin(-1),
                y.masked_fill(rows.logical_not(), h).amin(-1),
                (x + 1).masked_fill(cols.logical_not(), 0).amax(-1),
                (y + 1).masked_fill(rows.logical_not(), 0).amax(-1),
            ],
            -1);
        return (boxes, cols.any(-1));
    }

    /// <summary>Normalised boxes in pixels.</summary>
    public static Tensor Pixels(Tensor boxes, int height, int width) => boxes * tensor(new float[] { width, height, width, height });

    /// <summary>A step alone, through a pipeline (seed 1, epoch 1, batch 1), with boxes.</summary>
    public static (Tensor Images, Tensor Boxes, Tensor Valid) Run(AugmentationStep step, Tensor input, Tensor boxes, Tensor valid, int seed = 1)
        => new AugmentationPipeline([step], seed).Apply(input, boxes, valid, 1, 1);

    private static (Tensor X1, Tensor Y1, Tensor X2, Tensor Y2) Corner(Tensor pixels)
    {
        var parts = pixels.unsqueeze(-1).unsqueeze(-1).unbind(2);
        return (parts[0], parts[1], parts[2], parts[3]);
    }
}
