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
    /// each named <c>&lt;column&gt;.output</c> as ML.NET names them. For a network that reads images the
    /// input is the decoded pixels as the image options make them: planes <c>[N, C, H, W]</c> in the
    /// channel order, scaled by the pixel scale (what ML.NET's <c>ExtractPixels</c> gives with the same
    /// order and scale); the normalisation is inside the graph.
    /// </summary>
    /// <param name="transformer">The trained transformer.</param>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="stream">Receives the model.</param>
    /// <param name="inputName">Name of the graph's input (and of the column <c>ApplyOnnxModel</c> feeds it from), e.g. <c>Pixels</c>. Default <see langword="null"/>: the features column's name.</param>
    /// <exception cref="NotSupportedException">A module of the network has no ONNX mapping.</exception>
    public static void ExportToOnnx(this NetworkPredictionTransformer transformer, MLContext ml, Stream stream, string? inputName = null)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(stream);
        var definition = SchemaDefinition.Create(typeof(FeaturesRow));
        var input = transformer.Input switch
        {
            VectorInput vector when inputName is null || inputName == vector.ColumnName => vector,
            VectorInput vector => new VectorInput { ColumnName = inputName, Dimensions = vector.Dimensions, Normalization = vector.Normalization },
            ImageInput image => new VectorInput { ColumnName = inputName ?? image.ColumnName, Dimensions = [.. image.Shape], Normalization = image.Normalization },
            var other => throw new NotSupportedException($"The network reads column '{other.ColumnName}' through a {other.GetType().Name}, which has no tensor form for ONNX."),
        };
        if (!ReferenceEquals(input, transformer.Input))
        {
            // The same network and head over the pixels the image reader would have produced.
            transformer = new NetworkPredictionTransformer(new NetworkModel(input, transformer.Spec, transformer.Network, transformer.Head, transformer.Model.Device.ToString()));
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
