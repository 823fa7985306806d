using Microsoft.ML;
using SkiaSharp;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>Reads a Text column of image file paths, relative ones resolved against a base directory.</summary>
internal sealed class ImageFileSource(string column, ValueGetter<ReadOnlyMemory<char>> getter, string? baseDirectory) : ImageSource(column)
{
    private readonly EncodedImageDecoder _decoder = new();
    private ReadOnlyMemory<char> _value;
    private string _fullPath = string.Empty;

    public override SKImage Read(long position)
    {
        getter(ref _value);
        var path = _value.Span.Trim();
        if (path.IsEmpty)
        {
            _fullPath = string.Empty;
            throw ImageErrors.Missing(Column, position, "the path is empty");
        }

        _fullPath = Path.GetFullPath(Path.Combine(baseDirectory ?? Directory.GetCurrentDirectory(), path.ToString()));
        if (!File.Exists(_fullPath))
        {
            throw ImageErrors.FileNotFound(Column, position, _fullPath);
        }

        using var codec = SKCodec.Create(_fullPath, out var result)
            ?? throw ImageErrors.Undecodable(Column, position, Describe(), result == SKCodecResult.Success ? "unknown format" : $"the decoder says {result}");
        return _decoder.Decode(codec, reason => ImageErrors.Undecodable(Column, position, Describe(), reason));
    }

    public override string Describe() => $"the file '{_fullPath}'";

    protected override void Dispose(bool disposing) => _decoder.Dispose();
}
