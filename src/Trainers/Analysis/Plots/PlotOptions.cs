using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Size and title of a plot written by <see cref="Plots"/>.</summary>
public sealed class PlotOptions
{
    /// <summary>Width of the PNG in pixels. Default 800; must be positive.</summary>
    public int Width { get; set; } = 800;

    /// <summary>Height of the PNG in pixels. Default 600; must be positive.</summary>
    public int Height { get; set; } = 600;

    /// <summary>Title drawn above the plot. Default <see langword="null"/>: each plot's own title.</summary>
    public string? Title { get; set; }

    /// <summary>Throws naming the option when a value is out of range.</summary>
    internal void Validate()
    {
        OptionCheck.Require(Width > 0, Width, nameof(Width), "positive");
        OptionCheck.Require(Height > 0, Height, nameof(Height), "positive");
    }
}
