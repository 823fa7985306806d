using DeepLearning.Transforms.Validation;
using OxyPlot;
using SkiaSharp;

namespace DeepLearning.Trainers.Analysis;

/// <summary>Creates plot models in the house style and writes them as PNG files.</summary>
/// <remarks>
/// Text is drawn with <see cref="FontFamily"/>. SkiaSharp's Linux native (NoDependencies) has no
/// fontconfig: it finds fonts by scanning <c>/usr/share/fonts</c>, so on Debian the text needs a
/// font package (<c>fonts-dejavu-core</c>, which <c>.ci/run</c> installs when it can). Without any
/// font the plots are still written, with their lines, cells and images but without text
/// (text shaping through HarfBuzz is then turned off: it fails on a typeface without data).
/// </remarks>
internal static class PlotFile
{
    private static readonly Lazy<bool> FontFound = new(() =>
    {
        using var typeface = SKTypeface.FromFamilyName(FontFamily);
        using var data = typeface?.OpenStream();
        return data is not null && data.Length > 0;
    });

    /// <summary>The font family every plot asks for (DejaVu Sans, Debian's default sans-serif font).</summary>
    public const string FontFamily = "DejaVu Sans";

    /// <summary>Whether SkiaSharp finds a font to draw text with (otherwise plots have no text).</summary>
    public static bool CanDrawText => FontFound.Value;

    /// <summary>A white plot model with a title, in the house font.</summary>
    /// <param name="title">The title, or <see langword="null"/> for none.</param>
    public static PlotModel NewModel(string? title) => new()
    {
        Title = title,
        Background = OxyColors.White,
        DefaultFont = FontFamily,
        TitleFontSize = 14,
        TitleFontWeight = FontWeights.Normal,
    };

    /// <summary>Checks a target path and a size, before any work is done.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static void CheckTarget(string path, int width, int height)
    {
        OptionCheck.RequireName(path, nameof(path));
        OptionCheck.Require(width > 0, width, nameof(width), "positive");
        OptionCheck.Require(height > 0, height, nameof(height), "positive");
    }

    /// <summary>Renders <paramref name="model"/> to a PNG file of the given size, creating its folder if needed.</summary>
    /// <param name="model">The plot.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static void Write(PlotModel model, string path, int width, int height)
    {
        CheckTarget(path, width, height);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        using var stream = File.Create(path);
        new OxyPlot.SkiaSharp.PngExporter { Width = width, Height = height, Dpi = 96, UseTextShaping = CanDrawText }.Export(model, stream);
    }
}
