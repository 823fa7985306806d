using System.Text;
using DeepLearning.Transforms.Heads;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Networks;
using DeepLearning.Transforms.Persistence;
using DeepLearning.Transforms.Scoring;

namespace DeepLearning.Tests.Persistence;

public sealed class ModelManifestTests
{
    private static ModelManifest Sample() => new(
        ModelManifest.CurrentFormat,
        new DeepNeuralNetworkSpec { InputSize = 4, OutputSize = 3, HiddenLayers = [5], Dropout = [0.25], Activation = Activation.Tanh },
        new VectorInput { ColumnName = "Pixels", Dimensions = [4], Normalization = new([1f, 2f, 3f, 4f], [0.5f, 1f, 2f, 4f]) },
        new MulticlassClassificationHead { ClassCount = 3, Labels = KeyValuesAnnotation.FromText("ReadOnlyMemory`1", ["cat", "dog", "bird"]) },
        new TrainingHistory([new EpochMetrics(1, 0.5, 0.8, null, 0.7, 1e-3, TimeSpan.FromSeconds(2))], 1, false, ["a warning"]),
        new Dictionary<string, EntryDigest> { ["weights.bin"] = ModelManifest.Digest([1, 2, 3]) });

    [Fact]
    public void EveryPartRoundTripsByName()
    {
        var text = Encoding.UTF8.GetString(Sample().ToUtf8());
        Assert.Contains("\"type\": \"deep-neural-network\"", text, StringComparison.Ordinal);
        Assert.Contains("\"type\": \"vector\"", text, StringComparison.Ordinal);
        Assert.Contains("\"type\": \"multiclass-classification\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InputShape", text, StringComparison.Ordinal);

        var back = ModelManifest.Parse(Sample().ToUtf8());
        Assert.Equal(Sample().Network.ToJson(), back.Network.ToJson());
        var input = Assert.IsType<VectorInput>(back.Input);
        Assert.Equal("Pixels", input.ColumnName);
        Assert.Equal([2f, 4f], [input.Normalization!.Mean[1], input.Normalization.Std[3]]);
        var head = Assert.IsType<MulticlassClassificationHead>(back.Head);
        Assert.Equal(["cat", "dog", "bird"], head.Labels!.Values);
        Assert.Equal("a warning", Assert.Single(back.History!.Warnings));
        Assert.Null(back.History[0].ValidationLoss);
        Assert.Equal(0.7, back.History[0].ValidationMetric);
        Assert.Equal(Sample().Entries["weights.bin"], back.Entries["weights.bin"]);
    }

    [Theory]
    [InlineData("\"multiclass-classification\"", "\"no-such-head\"", "output head 'no-such-head'")]
    [InlineData("\"format\": 2", "\"format\": 3", "format 3, newer")]
    [InlineData("\"format\": 2", "\"format\": 1", "format 1, which this version")]
    [InlineData("\"ClassCount\": 3", "\"ClassCount\": 1", "ClassCount = 1")]
    [InlineData("\"HiddenLayers\": [", "\"HiddenLayers\": [-2, ", "HiddenLayers[0] = -2")]
    [InlineData("{", "[", "not valid JSON")]
    public void ABadManifestIsRefusedSayingWhatIsWrong(string find, string replace, string expected)
    {
        var text = Encoding.UTF8.GetString(Sample().ToUtf8());
        Assert.Contains(find, text, StringComparison.Ordinal);
        var changed = Encoding.UTF8.GetBytes(ReplaceFirst(text, find, replace));
        var error = Assert.Throws<FormatException>(() => ModelManifest.Parse(changed));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return text[..at] + replace + text[(at + find.Length)..];
    }
}
