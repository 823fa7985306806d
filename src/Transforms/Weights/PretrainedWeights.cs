using System.Security.Cryptography;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Weights;

/// <summary>
/// Loads pretrained weights from local files into a network by name, as PyTorch's
/// <c>load_state_dict</c> does, with a report of what matched: PyTorch state dicts saved with
/// <c>torch.save(model.state_dict(), …)</c> (<c>.pth</c>, <c>.pt</c>, <c>.bin</c>), safetensors
/// files (<c>.safetensors</c>) and TensorFlow.js weight manifests (<c>.json</c> with their <c>.bin</c>
/// shards; quantised weights dequantised, names and layouts TensorFlow's). Nothing is downloaded. The architectures of
/// <see cref="Networks.Architectures"/> use torchvision's key names, so torchvision's weights load as they are.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>
    /// Reads every tensor of a weight file, by key. The caller owns (and disposes) the tensors.
    /// </summary>
    /// <param name="path">A PyTorch state dict (<c>.pth</c>, <c>.pt</c>, <c>.bin</c>), a <c>.safetensors</c> file or a TF.js weight manifest (<c>.json</c>).</param>
    /// <param name="sha256">The file's expected SHA-256 (hex), or <see langword="null"/> not to check.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The SHA-256 differs, or the file is truncated, corrupt or not a state dict (the message names the file).</exception>
    /// <exception cref="NotSupportedException">The extension is not one of the formats read.</exception>
    public static IReadOnlyDictionary<string, Tensor> Read(string path, string? sha256 = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Weight file '{full}' does not exist.", full);
        }

        if (sha256 is not null)
        {
            CheckSha256(full, sha256);
        }

        var format = WeightFormats.For(full);
        try
        {
            return format.Read(full);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Weight file '{full}' could not be read as {format.Name}: {e.Message}", e);
        }
    }

    /// <summary>Reads <paramref name="path"/> (see <see cref="Read"/>) and copies its weights into <paramref name="network"/>.</summary>
    /// <param name="network">The network; its parameters and buffers are overwritten in place.</param>
    /// <param name="path">The weight file.</param>
    /// <param name="options">Strictness, renaming, conversion, skipped prefixes and the file's SHA-256; <see langword="null"/>: strict, as is.</param>
    /// <returns>What was loaded and what was not.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be read or its hash differs; in strict mode, keys or shapes do not match (the message lists them).</exception>
    public static WeightLoadReport Load(nn.Module network, string path, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new WeightLoadOptions();
        var weights = Read(path, options.Sha256);
        try
        {
            return Load(network, weights, options, Path.GetFullPath(path));
        }
        finally
        {
            foreach (var tensor in weights.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Copies <paramref name="weights"/> into <paramref name="network"/> by key (parameters and buffers).</summary>
    /// <param name="network">The network; its parameters and buffers are overwritten in place.</param>
    /// <param name="weights">Tensors by key, e.g. from <see cref="Read"/> or another network's <c>state_dict()</c>; not modified.</param>
    /// <param name="options">Strictness, renaming, conversion and skipped prefixes; <see langword="null"/>: strict, as is. <see cref="WeightLoadOptions.Sha256"/> is ignored.</param>
    /// <returns>What was loaded and what was not.</returns>
    /// <exception cref="InvalidDataException">In strict mode, keys or shapes do not match (the message lists them); nothing was copied.</exception>
    public static WeightLoadReport Load(nn.Module network, IReadOnlyDictionary<string, Tensor> weights, WeightLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(weights);
        return Load(network, weights, options ?? new WeightLoadOptions(), "the weights");
    }

    private static WeightLoadReport Load(nn.Module network, IReadOnlyDictionary<string, Tensor> weights, WeightLoadOptions options, string source)
    {
        using var scope = NewDisposeScope();
        var plan = StateDictMatch.Plan(network.state_dict(), weights, options);
        if (options.Strict && !plan.Report.IsComplete && !plan.OnlyMissingBatchCounters)
        {
            throw new InvalidDataException($"The weights in {source} do not fit {network.GetType().Name} (strict): {plan.Report}. Map or skip the keys, or load with Strict = false.");
        }

        using (no_grad())
        {
            foreach (var (target, value) in plan.Copies)
            {
                target.copy_(value);
            }
        }

        return plan.Report;
    }

    private static void CheckSha256(string path, string expected)
    {
        using var stream = File.OpenRead(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, expected.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"Weight file '{path}' has SHA-256 {actual}, not the expected {expected.Trim()}: it is another or a damaged file.");
        }
    }
}
