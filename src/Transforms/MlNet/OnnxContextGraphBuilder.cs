using DeepLearning.Transforms.Onnx;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;

namespace DeepLearning.Transforms.MlNet;

/// <summary>
/// <see cref="IOnnxGraphBuilder"/> over ML.NET's internal <see cref="OnnxContext"/>. ML.NET's context
/// maps every variable or initializer it creates to an IDataView column of the seed name; ours are
/// graph-internal, so each is created under a seed that is no column and then unmapped again, which
/// leaves the pipeline's columns (and later transforms' view of them) untouched.
/// </summary>
internal sealed class OnnxContextGraphBuilder : IOnnxGraphBuilder
{
    private readonly OnnxContext _ctx;

    public OnnxContextGraphBuilder(OnnxContext ctx) => _ctx = ctx ?? throw new ArgumentNullException(nameof(ctx));

    public string NewName(string prefix) => Unmapped(prefix, seed => _ctx.AddIntermediateVariable(NumberDataViewType.Single, seed, skip: true));

    public void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<OnnxAttribute>? attributes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        var node = _ctx.CreateNode(opType, inputs, outputs, _ctx.GetNodeName(opType), string.Empty);
        foreach (var attribute in attributes ?? [])
        {
            switch (attribute.Value)
            {
                case long value:
                    node.AddAttribute(attribute.Name, value);
                    break;
                case float value:
                    node.AddAttribute(attribute.Name, (double)value);
                    break;
                case long[] values:
                    node.AddAttribute(attribute.Name, values);
                    break;
                case float[] values:
                    node.AddAttribute(attribute.Name, values);
                    break;
                case string value:
                    node.AddAttribute(attribute.Name, value);
                    break;
                default:
                    throw new NotSupportedException($"ONNX attribute '{attribute.Name}' of kind {attribute.Kind} is not supported.");
            }
        }
    }

    // ML.NET's tensor overloads cannot take an empty shape; scalars have their own overloads.
    public string AddInitializer(string prefix, float[] values, IReadOnlyList<long> shape)
        => Unmapped(prefix, seed => IsScalar(values, shape) ? _ctx.AddInitializer(values[0], seed) : _ctx.AddInitializer(values, shape, seed));

    public string AddInitializer(string prefix, long[] values, IReadOnlyList<long> shape)
        => Unmapped(prefix, seed => IsScalar(values, shape) ? _ctx.AddInitializer(values[0], seed) : _ctx.AddInitializer(values, shape, seed));

    private static bool IsScalar<T>(T[] values, IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        var size = shape.Aggregate(1L, (a, b) => a * b);
        return size == values.Length
            ? shape.Count == 0
            : throw new ArgumentException($"An initializer of shape [{string.Join(", ", shape)}] holds {size} values, not {values.Length}.", nameof(values));
    }

    private string Unmapped(string prefix, Func<string, string> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var seed = prefix;
        for (var i = 0; _ctx.ContainsColumn(seed); i++)
        {
            seed = $"{prefix}_{i}";
        }

        var name = create(seed);
        _ctx.RemoveColumn(seed);
        return name;
    }
}
