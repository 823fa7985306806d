namespace DeepLearning.Transforms.Onnx;

/// <summary>The value kinds an <see cref="OnnxAttribute"/> can hold.</summary>
public enum OnnxAttributeKind
{
    /// <summary>One 64-bit integer.</summary>
    Int,

    /// <summary>One 32-bit float.</summary>
    Float,

    /// <summary>A list of 64-bit integers.</summary>
    Ints,

    /// <summary>A list of 32-bit floats.</summary>
    Floats,

    /// <summary>A UTF-8 string.</summary>
    String,
}

/// <summary>A named attribute of an ONNX node (a constant parameter of its operator).</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeKind kind, object value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        Value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The attribute's name, e.g. <c>alpha</c>.</summary>
    public string Name { get; }

    /// <summary>What <see cref="Value"/> holds.</summary>
    public OnnxAttributeKind Kind { get; }

    /// <summary>The value: a <see cref="long"/>, <see cref="float"/>, <see cref="T:long[]"/>, <see cref="T:float[]"/> or <see cref="string"/>, by <see cref="Kind"/>.</summary>
    public object Value { get; }

    /// <summary>An integer attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">Its value.</param>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int, value);

    /// <summary>A float attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">Its value.</param>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float, value);

    /// <summary>An integer-list attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">Its values (copied).</param>
    public static OnnxAttribute Ints(string name, IEnumerable<long> values) => new(name, OnnxAttributeKind.Ints, values.ToArray());

    /// <summary>A float-list attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">Its values (copied).</param>
    public static OnnxAttribute Floats(string name, IEnumerable<float> values) => new(name, OnnxAttributeKind.Floats, values.ToArray());

    /// <summary>A string attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">Its value.</param>
    public static OnnxAttribute String(string name, string value) => new(name, OnnxAttributeKind.String, value);
}
