using DeepLearning.Transforms.Validation;
using Microsoft.ML;

namespace DeepLearning.Transforms.Data;

/// <summary>Loads a folder of image files with one subfolder per class, the layout of ML.NET's image classification samples and torchvision's <c>ImageFolder</c>.</summary>
public static class ImageFolderCatalog
{
    /// <summary>The file extensions read as images (case-insensitive): those SkiaSharp decodes.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>
    /// Lists the images under <paramref name="directory"/>: every file with an image extension in a
    /// subfolder (searched recursively) becomes a row with its full path and the subfolder's name as
    /// its label. Nothing is decoded here, so the view costs a directory listing whatever the folder's
    /// size; a trainer reading the path column decodes the images, caching them or streaming them from
    /// disk. Rows are ordered by class and file name (ordinal); the view can shuffle, so streamed
    /// training visits a fresh permutation every epoch.
    /// </summary>
    /// <param name="catalog">The data catalog (<c>mlContext.Data</c>).</param>
    /// <param name="directory">The folder holding one subfolder per class.</param>
    /// <param name="imagePathColumnName">Name of the Text column of full image paths. Default <c>ImagePath</c>.</param>
    /// <param name="labelColumnName">Name of the Text column of class names. Default <c>Label</c>; different from the path column.</param>
    /// <returns>A view with the two columns, ready for <c>MapValueToKey</c> on the label and an image trainer on the paths.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">A column name is empty or both are equal, or no subfolder holds an image (the message names the folder).</exception>
    public static IDataView LoadFromImageFolder(
        this DataOperationsCatalog catalog,
        string directory,
        string imagePathColumnName = "ImagePath",
        string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        OptionCheck.RequireName(directory, nameof(directory));
        OptionCheck.RequireName(imagePathColumnName, nameof(imagePathColumnName));
        OptionCheck.RequireName(labelColumnName, nameof(labelColumnName));
        if (imagePathColumnName == labelColumnName)
        {
            throw new ArgumentException($"The image path and label columns must have different names, not both '{labelColumnName}'.", nameof(labelColumnName));
        }

        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Image folder '{root}' does not exist.");
        }

        var rows = new List<(string Path, string Label)>();
        foreach (var classDirectory in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var label = Path.GetFileName(classDirectory);
            var files = Directory.EnumerateFiles(classDirectory, "*", SearchOption.AllDirectories)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            rows.AddRange(files.Select(f => (f, label)));
        }

        if (rows.Count == 0)
        {
            throw new ArgumentException(
                $"Image folder '{root}' has no images in class subfolders: put each class's images ({string.Join(", ", ImageExtensions)}) in a subfolder named after the class.",
                nameof(directory));
        }

        return new ImageFolderDataView(rows, imagePathColumnName, labelColumnName);
    }
}
