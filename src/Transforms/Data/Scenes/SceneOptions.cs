using DeepLearning.Transforms.Validation;

namespace DeepLearning.Transforms.Data.Scenes;

/// <summary>Options of <see cref="SceneGenerator"/>. Each property documents its default and valid range.</summary>
public sealed class SceneOptions
{
    /// <summary>Side of the square scenes in pixels. Default 96; in [32, 512].</summary>
    public int Size { get; set; } = 96;

    /// <summary>Fewest objects per scene (0 allows empty scenes). Default 1; at least 0.</summary>
    public int MinObjects { get; set; } = 1;

    /// <summary>Most objects per scene. Default 5; at least 1 and at least <see cref="MinObjects"/>.</summary>
    public int MaxObjects { get; set; } = 5;

    /// <summary>Smallest side of a pasted item as a fraction of <see cref="Size"/>. Default 0.2; in (0, 1].</summary>
    public double MinScale { get; set; } = 0.2;

    /// <summary>Largest side of a pasted item as a fraction of <see cref="Size"/>. Default 0.5; in [<see cref="MinScale"/>, 1].</summary>
    public double MaxScale { get; set; } = 0.5;

    /// <summary>
    /// Largest IoU a new item's square may have with an earlier one's; placements over it are redrawn (up to
    /// 50 times, then the scene has fewer objects), so that objects stay visible. Default 0.3; in [0, 1].
    /// </summary>
    public double MaxOverlap { get; set; } = 0.3;

    /// <summary>Colour channels: 3 (each item gets a random colour on a random dark background) or 1 (grey). Default 3.</summary>
    public int Channels { get; set; } = 3;

    /// <summary>Standard deviation of the Gaussian pixel noise; values are clipped to [0, 1]. Default 0.03; in [0, 1].</summary>
    public double Noise { get; set; } = 0.03;

    /// <summary>
    /// An item's pixel counts as the object (for its box and the mask) when its intensity is above this.
    /// Default 0.2; in [0, 1).
    /// </summary>
    public double ObjectThreshold { get; set; } = 0.2;

    /// <summary>Seed: the same seed, options and items give the same scenes. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Throws naming the first invalid option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        OptionCheck.Require(Size is >= 32 and <= 512, Size, nameof(Size), "in [32, 512]");
        OptionCheck.Require(MinObjects >= 0, MinObjects, nameof(MinObjects), "at least 0");
        OptionCheck.Require(MaxObjects >= Math.Max(1, MinObjects), MaxObjects, nameof(MaxObjects), $"at least 1 and at least {nameof(MinObjects)} ({MinObjects})");
        OptionCheck.Require(MinScale is > 0 and <= 1, MinScale, nameof(MinScale), "in (0, 1]");
        OptionCheck.Require(MaxScale >= MinScale && MaxScale <= 1, MaxScale, nameof(MaxScale), $"in [{nameof(MinScale)} ({MinScale}), 1]");
        OptionCheck.Require(MaxOverlap is >= 0 and <= 1, MaxOverlap, nameof(MaxOverlap), "in [0, 1]");
        OptionCheck.Require(Channels is 1 or 3, Channels, nameof(Channels), "1 or 3");
        OptionCheck.Require(Noise is >= 0 and <= 1, Noise, nameof(Noise), "in [0, 1]");
        OptionCheck.Require(ObjectThreshold is >= 0 and < 1, ObjectThreshold, nameof(ObjectThreshold), "in [0, 1)");
    }
}
