using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;

namespace DeepLearning.Samples.ImageClassification;

/// <summary>Writes a trained image model as ONNX plus its class names, for samples/Deploy/OnnxApp.</summary>
internal static class OnnxExport
{
    /// <summary>
    /// Writes <c>&lt;stem&gt;.onnx</c> (input <c>Pixels</c> [N, C, H, W] in [0, 1], output <c>Score.output</c>)
    /// and <c>&lt;stem&gt;.labels.txt</c> (one class name per line, in score order) into <paramref name="directory"/>.
    /// </summary>
    /// <returns>The two paths.</returns>
    public static (string Onnx, string Labels) Write(MLContext ml, TrainedModel model, string directory, string stem)
    {
        var network = model.Model.OfType<NetworkPredictionTransformer>().Single();
        var onnx = Path.Combine(directory, stem + ".onnx");
        using (var stream = File.Create(onnx))
        {
            network.ExportToOnnx(ml, stream, inputName: "Pixels");
        }

        var labels = Path.Combine(directory, stem + ".labels.txt");
        var head = (MulticlassClassificationHead)network.Head;
        File.WriteAllLines(labels, head.Labels?.Values ?? Enumerable.Range(0, head.ClassCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return (onnx, labels);
    }
}
