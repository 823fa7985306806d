namespace DeepLearning.Transforms.Data.Scenes;

/// <summary>Draws the geometric shapes of <see cref="SceneItems.Shapes"/> as grey stamps with soft (one-pixel) edges.</summary>
internal static class ShapeStamps
{
    /// <summary>The shapes' names, by class index.</summary>
    public static IReadOnlyList<string> Names { get; } = ["disc", "square", "triangle", "ring", "cross"];

    /// <summary>A <paramref name="side"/>² stamp of shape <paramref name="shape"/>, intensity <paramref name="fill"/> inside.</summary>
    public static float[] Draw(int shape, int side, double fill)
    {
        var stamp = new float[side * side];
        double r = side / 2.0;
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                // Normalised coordinates of the pixel centre in [-1, 1].
                double u = (x + 0.5 - r) / r, v = (y + 0.5 - r) / r;
                double inside = SignedDistance(shape, u, v) * r;
                stamp[(y * side) + x] = (float)(fill * Math.Clamp(0.5 - inside, 0, 1));
            }
        }

        return stamp;
    }

    /// <summary>Signed distance (negative inside) of the point to the shape, in normalised units.</summary>
    private static double SignedDistance(int shape, double u, double v) => shape switch
    {
        0 => Math.Sqrt((u * u) + (v * v)) - 0.9,
        1 => Math.Max(Math.Abs(u), Math.Abs(v)) - 0.8,
        2 => Math.Max(v - 0.8, ((1.6 * Math.Abs(u)) - (0.9 * v) - 0.72) / 1.8358),  // apex (0, -0.8), base corners (±0.9, 0.8)
        3 => Math.Abs(Math.Sqrt((u * u) + (v * v)) - 0.65) - 0.25,
        _ => Math.Min(Math.Max(Math.Abs(u) - 0.25, Math.Abs(v) - 0.9), Math.Max(Math.Abs(u) - 0.9, Math.Abs(v) - 0.25)),
    };
}
