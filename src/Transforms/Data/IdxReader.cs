using System.Buffers.Binary;
using System.IO.Compression;

namespace DeepLearning.Transforms.Data;

/// <summary>
/// Images read from an IDX file: <see cref="Count"/> images of <see cref="Height"/> x
/// <see cref="Width"/> unsigned bytes, stored row-major one image after another in <see cref="Pixels"/>.
/// </summary>
/// <param name="Pixels">The pixel bytes, <c>Count * Height * Width</c> of them.</param>
/// <param name="Count">The number of images read (at most the count in the file header).</param>
/// <param name="Height">The image height (rows).</param>
/// <param name="Width">The image width (columns).</param>
/// <param name="FileCount">The number of images the file header declares.</param>
public sealed record IdxImages(byte[] Pixels, int Count, int Height, int Width, int FileCount);

/// <summary>
/// Reads files in the IDX format of MNIST and Fashion-MNIST, gzip-compressed (<c>.gz</c>) or raw:
/// a big-endian magic number <c>0x00000803</c> (unsigned bytes, 3 dimensions) for images or
/// <c>0x00000801</c> (unsigned bytes, 1 dimension) for labels, then one big-endian 32-bit
/// integer per dimension, then the data.
/// </summary>
public static class IdxReader
{
    /// <summary>The magic number of an IDX file of unsigned bytes with three dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of an IDX file of unsigned bytes with one dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file (magic <c>0x00000803</c>).</summary>
    /// <param name="path">The file; gzip-compressed when its name ends in <c>.gz</c>.</param>
    /// <param name="maxCount">Read at most this many images; <see langword="null"/> reads all.</param>
    /// <returns>The images.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an IDX image file or is truncated.</exception>
    public static IdxImages ReadImages(string path, int? maxCount = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = Open(path);
        var header = ReadHeader(stream, path, ImagesMagic, 3, "an IDX image file (magic 0x00000803: unsigned bytes, 3 dimensions)");
        int count = Limit(header[0], maxCount);
        int height = header[1];
        int width = header[2];
        long total = (long)count * height * width;
        if (total > Array.MaxLength)
        {
            throw new InvalidDataException($"IDX file '{path}' declares {header[0]} images of {height}x{width}, more than fits in one array.");
        }

        var pixels = new byte[total];
        ReadPayload(stream, pixels, path, $"{count} images of {height}x{width} bytes");
        return new IdxImages(pixels, count, height, width, header[0]);
    }

    /// <summary>Reads a label file (magic <c>0x00000801</c>).</summary>
    /// <param name="path">The file; gzip-compressed when its name ends in <c>.gz</c>.</param>
    /// <param name="maxCount">Read at most this many labels; <see langword="null"/> reads all.</param>
    /// <returns>The labels, one byte each.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an IDX label file or is truncated.</exception>
    public static byte[] ReadLabels(string path, int? maxCount = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = Open(path);
        var header = ReadHeader(stream, path, LabelsMagic, 1, "an IDX label file (magic 0x00000801: unsigned bytes, 1 dimension)");
        int count = Limit(header[0], maxCount);
        var labels = new byte[count];
        ReadPayload(stream, labels, path, $"{count} labels");
        return labels;
    }

    private static int Limit(int count, int? maxCount)
    {
        if (maxCount is int max)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxCount));
            return Math.Min(count, max);
        }

        return count;
    }

    private static Stream Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file '{path}' was not found.", path);
        }

        // A large buffer: the payload is read in one go, the header in a few bytes.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static int[] ReadHeader(Stream stream, string path, int magic, int dimensions, string expected)
    {
        Span<byte> buffer = stackalloc byte[4 * 4];
        int length = 4 * (1 + dimensions);
        int read = ReadFully(stream, buffer[..length], path, expected);
        if (read < 4)
        {
            throw new InvalidDataException($"IDX file '{path}' is too short ({read} bytes) to hold a header; expected {expected}.");
        }

        int actualMagic = BinaryPrimitives.ReadInt32BigEndian(buffer);
        if (actualMagic != magic)
        {
            throw new InvalidDataException($"IDX file '{path}' starts with magic number 0x{actualMagic:X8}; expected {expected}.");
        }

        if (read < length)
        {
            throw new InvalidDataException($"IDX file '{path}' is truncated: its header ends after {read} of {length} bytes; expected {expected}.");
        }

        var sizes = new int[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            sizes[i] = BinaryPrimitives.ReadInt32BigEndian(buffer.Slice(4 * (i + 1)));
            if (sizes[i] < 0 || (i > 0 && sizes[i] == 0))
            {
                throw new InvalidDataException($"IDX file '{path}' declares an invalid size {sizes[i]} for dimension {i}; expected {expected}.");
            }
        }

        return sizes;
    }

    private static void ReadPayload(Stream stream, byte[] target, string path, string expected)
    {
        int read = ReadFully(stream, target, path, expected);
        if (read < target.Length)
        {
            throw new InvalidDataException($"IDX file '{path}' is truncated: it holds {read} of the {target.Length} data bytes its header declares ({expected}).");
        }
    }

    private static int ReadFully(Stream stream, Span<byte> target, string path, string expected)
    {
        try
        {
            return stream.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            // GZipStream reports a corrupt or cut-off compressed stream this way; name the file.
            throw new InvalidDataException($"IDX file '{path}' could not be decompressed ({e.Message}); expected {expected}.", e);
        }
    }
}
