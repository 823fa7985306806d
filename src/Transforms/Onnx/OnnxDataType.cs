namespace DeepLearning.Transforms.Onnx;

/// <summary>ONNX <c>TensorProto.DataType</c> codes, as the <c>to</c> attribute of <c>Cast</c> takes them.</summary>
internal static class OnnxDataType
{
    /// <summary>uint32, ML.NET's key type.</summary>
    public const long UInt32 = 12;

    /// <summary>32-bit float (<c>TensorProto.FLOAT</c>).</summary>
    public const long Float = 1;
}
