namespace DeepLearning.Transforms.Data.Scenes;

/// <summary>One generated scene: its pixels and the exact ground truth of the objects in it.</summary>
/// <param name="Pixels">Channel-major pixels <c>[Channels, Size, Size]</c> in [0, 1].</param>
/// <param name="Boxes">Corner boxes in pixels, <c>x1, y1, x2, y2</c> per object (4·N values), the tight bounds of the object's pixels (even where a later object hides part of it); the right and bottom edges are exclusive, so a one-pixel object has width 1.</param>
/// <param name="Labels">Class index of each object (N values), in pasting order.</param>
/// <param name="Mask">Class of each pixel <c>[Size, Size]</c>: 0 for background, class index + 1 where an object is visible (later objects cover earlier ones).</param>
/// <param name="Channels">Colour channels of <paramref name="Pixels"/>.</param>
/// <param name="Size">Side of the square scene in pixels.</param>
public sealed record Scene(float[] Pixels, float[] Boxes, int[] Labels, byte[] Mask, int Channels, int Size)
{
    /// <summary>Number of objects in the scene.</summary>
    public int Count => Labels.Length;
}
