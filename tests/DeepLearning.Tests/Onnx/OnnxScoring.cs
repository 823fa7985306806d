using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeepLearning.Tests.Onnx;

/// <summary>Converts ML.NET models to ONNX and scores the result through ML.NET and through ONNX Runtime.</summary>
internal static class OnnxScoring
{
    /// <summary>The ONNX model of <paramref name="model"/>, as <c>ml.Model.ConvertToOnnx</c> writes it.</summary>
    public static byte[] Convert(MLContext ml, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        ml.Model.ConvertToOnnx(model, data, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Scores <paramref name="data"/> with <c>ml.Transforms.ApplyOnnxModel</c> (ML.NET's ONNX Runtime
    /// scorer), which names the column of graph output <c>X.output</c> back to <c>X</c>.
    /// </summary>
    public static IDataView ThroughMlNet(MLContext ml, byte[] onnx, IDataView data)
    {
        using var stream = new MemoryStream(onnx);
        return ml.Transforms.ApplyOnnxModel(stream).Fit(data).Transform(data);
    }

    /// <summary>
    /// Scores every row of <paramref name="data"/> with an ONNX Runtime session, feeding each graph
    /// input from the column of the same name; returns every graph output, flattened, by name.
    /// </summary>
    public static Dictionary<string, Array> ThroughOnnxRuntime(byte[] onnx, IDataView data)
    {
        using var session = new InferenceSession(onnx);
        var rows = checked((int)data.GetRowCount()!.Value);
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, metadata) in session.InputMetadata)
        {
            int[] shape = [rows, .. metadata.Dimensions.Skip(1)];
            var type = data.Schema[name].Type;
            var item = type is VectorDataViewType vector ? vector.ItemType : type;
            inputs.Add(item switch
            {
                NumberDataViewType when item.RawType == typeof(float) => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(Column<float>(data, name), shape)),
                TextDataViewType => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(Column<ReadOnlyMemory<char>>(data, name).Select(v => v.ToString()).ToArray(), shape)),
                BooleanDataViewType => NamedOnnxValue.CreateFromTensor(name, new DenseTensor<bool>(Column<bool>(data, name), shape)),
                _ => throw new NotSupportedException($"Test input column {name} of type {type}"),
            });
        }

        using var results = session.Run(inputs);
        return results.ToDictionary(r => r.Name, r => r.Value switch
        {
            Tensor<float> t => (Array)t.ToArray(),
            Tensor<bool> t => t.ToArray(),
            Tensor<string> t => t.ToArray(),
            Tensor<uint> t => t.ToArray(),
            Tensor<long> t => t.ToArray(),
            var other => throw new NotSupportedException($"Output {r.Name} of type {other?.GetType()}"),
        });
    }

    /// <summary>All values of a column, vectors flattened row by row.</summary>
    public static T[] Column<T>(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<T>();
        using var cursor = data.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<T>>(column);
            var buffer = default(VBuffer<T>);
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                values.AddRange(buffer.DenseValues());
            }
        }
        else
        {
            var getter = cursor.GetGetter<T>(column);
            var value = default(T)!;
            while (cursor.MoveNext())
            {
                getter(ref value);
                values.Add(value);
            }
        }

        return [.. values];
    }

    /// <summary>The largest absolute difference of two equally long arrays.</summary>
    public static double MaxAbsDiff(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (a, b) => Math.Abs((double)a - b)).DefaultIfEmpty(0).Max();
    }
}
