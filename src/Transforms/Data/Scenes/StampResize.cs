namespace DeepLearning.Transforms.Data.Scenes;

/// <summary>Resizes a square grey stamp with bilinear interpolation (pixel centres aligned, as <c>align_corners=false</c>).</summary>
internal static class StampResize
{
    /// <summary>The <paramref name="side"/>² stamp resized to <paramref name="target"/>².</summary>
    public static float[] Bilinear(float[] stamp, int side, int target)
    {
        var result = new float[target * target];
        double scale = (double)side / target;
        for (int y = 0; y < target; y++)
        {
            var (y0, y1, fy) = Source(y, scale, side);
            for (int x = 0; x < target; x++)
            {
                var (x0, x1, fx) = Source(x, scale, side);
                double top = (stamp[(y0 * side) + x0] * (1 - fx)) + (stamp[(y0 * side) + x1] * fx);
                double bottom = (stamp[(y1 * side) + x0] * (1 - fx)) + (stamp[(y1 * side) + x1] * fx);
                result[(y * target) + x] = (float)((top * (1 - fy)) + (bottom * fy));
            }
        }

        return result;
    }

    private static (int Low, int High, double Fraction) Source(int index, double scale, int side)
    {
        double position = Math.Clamp(((index + 0.5) * scale) - 0.5, 0, side - 1);
        int low = (int)Math.Floor(position);
        return (low, Math.Min(low + 1, side - 1), position - low);
    }
}
