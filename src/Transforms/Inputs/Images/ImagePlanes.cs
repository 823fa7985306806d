using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>
/// Turns interleaved RGBA bytes into the planes of a <c>[C, H, W]</c> float tensor, scaled, in the
/// configured channel order, or into BT.601 luma for a grey network. Vectorised span operations
/// over whole planes; the scratch buffers are reused across rows.
/// </summary>
internal sealed class ImagePlanes
{
    /// <summary>ITU-R BT.601 luma weights of red, green and blue.</summary>
    internal static readonly IReadOnlyList<float> LumaWeights = [0.299f, 0.587f, 0.114f];

    private readonly int _pixels;
    private readonly float _scale;
    private readonly int[] _channelBytes;
    private readonly uint[] _words;
    private readonly float[] _plane;

    public ImagePlanes(ImageInputOptions options)
    {
        _pixels = options.Width * options.Height;
        _scale = options.PixelScale;

        // Byte of each output channel within an RGBA pixel.
        _channelBytes = options.Channels == 1 || options.ChannelOrder == ImageChannelOrder.Rgb ? [0, 1, 2] : [2, 1, 0];
        _words = new uint[_pixels];
        _plane = options.Channels == 1 ? new float[_pixels] : [];
    }

    /// <summary>Writes the planes of <paramref name="rgba"/> (<c>H × W × 4</c> bytes) to <paramref name="destination"/> (<c>C × H × W</c> values).</summary>
    public void Write(ReadOnlySpan<byte> rgba, Span<float> destination)
    {
        var pixels = MemoryMarshal.Cast<byte, uint>(rgba[..(_pixels * 4)]);
        if (_plane.Length == 0)
        {
            for (var c = 0; c < _channelBytes.Length; c++)
            {
                var plane = destination.Slice(c * _pixels, _pixels);
                Channel(pixels, _channelBytes[c], plane);
                TensorPrimitives.Multiply(plane, _scale, plane);
            }

            return;
        }

        var grey = destination[.._pixels];
        grey.Clear();
        for (var c = 0; c < LumaWeights.Count; c++)
        {
            Channel(pixels, _channelBytes[c], _plane);
            TensorPrimitives.MultiplyAdd(_plane, LumaWeights[c] * _scale, grey, grey);
        }
    }

    /// <summary>Byte <paramref name="index"/> (0 = red) of every pixel, as floats.</summary>
    private void Channel(ReadOnlySpan<uint> pixels, int index, Span<float> plane)
    {
        var shift = 8 * (BitConverter.IsLittleEndian ? index : 3 - index);
        TensorPrimitives.ShiftRightLogical(pixels, shift, _words);
        TensorPrimitives.BitwiseAnd(_words, 0xFFu, _words);
        TensorPrimitives.ConvertTruncating<uint, float>(_words, plane);
    }
}
