using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Onnx;

/// <summary>Exports a network transformer on its own, for inputs that ML.NET cannot export (e.g. its image transforms).</summary>
public static class NetworkOnnxExport
{
    /// <summary>
    /// Writes an ONNX model (ML.NET's converter, opset 12) whose one input is the features column
    /// (float, shape [N, ..network input shape]) and whose outputs are the prediction columns,
    /// each named <c>&lt;column&gt;.output</c> as ML.NET names them.
    /// </summary>
    /// <param name="transformer">The trained transformer.</param>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="stream">Receives the model.</param>
    /// <exception cref="NotSupportedException">A module of the network has no ONNX mapping.</exception>
    public static void ExportToOnnx(this NetworkPredictionTransformer transformer, MLContext ml, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(stream);
        var definition = SchemaDefinition.Create(typeof(FeaturesRow));
        if (transformer.Input is not VectorInput input)
        {
            throw new NotSupportedException($"The network reads column '{transformer.Input.ColumnName}' through a {transformer.Input.GetType().Name}; ONNX export needs a vector of Single input.");
        }

        definition[0].ColumnName = input.ColumnName;
        int[] dimensions = [.. input.Shape.Select(d => checked((int)d))];
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        var oneRow = ml.Data.LoadFromEnumerable([new FeaturesRow { Features = new float[transformer.Model.InputLength] }], definition);
        var outputs = transformer.Head.CreateColumns().Select(c => c.Name).ToArray();
        ml.Model.ConvertToOnnx(transformer, oneRow, stream, outputs);
    }

    private sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];
    }
}
