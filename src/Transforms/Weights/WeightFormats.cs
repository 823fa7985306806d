using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Weights;

/// <summary>The weight file formats read, chosen by extension.</summary>
internal sealed record WeightFormats(string Name, Func<string, IReadOnlyDictionary<string, Tensor>> Read)
{
    private static readonly WeightFormats PyTorch = new("a PyTorch state dict", ReadPickle);
    private static readonly WeightFormats SafeTensors = new("safetensors", path => Safetensors.LoadStateDict(path));
    private static readonly WeightFormats TensorFlowJs = new("a TF.js weight manifest", TfjsWeights.Read);

    /// <summary>The format of <paramref name="path"/>.</summary>
    /// <exception cref="NotSupportedException">The extension is not one of the formats read.</exception>
    public static WeightFormats For(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pth" or ".pt" or ".bin" => PyTorch,
        ".safetensors" => SafeTensors,
        ".json" => TensorFlowJs,
        var other => throw new NotSupportedException($"Weight file '{path}' has extension '{other}': read are PyTorch state dicts (.pth, .pt, .bin), .safetensors and TF.js weight manifests (.json)."),
    };

    /// <summary>A state dict written by <c>torch.save</c>; nested dictionaries or non-tensor values are refused.</summary>
    private static IReadOnlyDictionary<string, Tensor> ReadPickle(string path)
    {
        var table = PyTorchUnpickler.UnpickleStateDict(path);
        var result = new Dictionary<string, Tensor>(table.Count, StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            result[(string)entry.Key] = entry.Value as Tensor
                ?? throw new InvalidDataException($"Entry '{entry.Key}' of '{path}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor: save model.state_dict(), not the model or a checkpoint dictionary.");
        }

        return result;
    }
}
