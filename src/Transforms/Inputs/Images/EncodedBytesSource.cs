using Microsoft.ML;
using Microsoft.ML.Data;
using SkiaSharp;

namespace DeepLearning.Transforms.Inputs.Images;

/// <summary>Reads a vector of Byte holding an encoded image file (<c>File.ReadAllBytes</c>, ML.NET's <c>LoadRawImageBytes</c>).</summary>
internal sealed class EncodedBytesSource(string column, ValueGetter<VBuffer<byte>> getter) : ImageSource(column)
{
    private readonly EncodedImageDecoder _decoder = new();
    private VBuffer<byte> _value;
    private byte[] _dense = [];

    public override SKImage Read(long position)
    {
        getter(ref _value);
        if (_value.Length == 0)
        {
            throw ImageErrors.Missing(Column, position, "the byte vector is empty");
        }

        using var data = SKData.CreateCopy(Bytes());
        using var codec = SKCodec.Create(data)
            ?? throw ImageErrors.Undecodable(Column, position, Describe(), "unknown format");
        return _decoder.Decode(codec, reason => ImageErrors.Undecodable(Column, position, Describe(), reason));
    }

    public override string Describe()
    {
        var bytes = Bytes();
        var head = Convert.ToHexString(bytes[..Math.Min(8, bytes.Length)]);
        return $"the {bytes.Length} bytes 0x{head}{(bytes.Length > 8 ? "…" : string.Empty)}";
    }

    protected override void Dispose(bool disposing) => _decoder.Dispose();

    private ReadOnlySpan<byte> Bytes()
    {
        if (_value.IsDense)
        {
            return _value.GetValues();
        }

        if (_dense.Length < _value.Length)
        {
            _dense = new byte[_value.Length];
        }

        _value.CopyTo(_dense);
        return _dense.AsSpan(0, _value.Length);
    }
}
