namespace DeepLearning.Transforms.Detection;

/// <summary>How the four numbers of a box are laid out in the last dimension of a box tensor.</summary>
public enum BoxFormat
{
    /// <summary>Corners: left, top, right, bottom (<c>x1, y1, x2, y2</c>), with <c>x2 ≥ x1</c> and <c>y2 ≥ y1</c>.</summary>
    Xyxy,

    /// <summary>Top-left corner and size: <c>x, y, width, height</c>.</summary>
    Xywh,

    /// <summary>Centre and size: <c>cx, cy, width, height</c> (YOLO's layout).</summary>
    Cxcywh,
}
