using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Onnx;

/// <summary>
/// The input shape every module of a network sees, recorded by one forward pass of a zero batch of one
/// row (eval mode, no gradients) through forward pre-hooks; the exporter runs it only when a layer needs it. Layers whose ONNX form depends on the
/// input size (adaptive pooling to more than 1x1) read it; the ONNX graph itself keeps a dynamic batch.
/// </summary>
internal sealed class OnnxShapeTrace
{
    private readonly Dictionary<object, long[]> shapes = new(ReferenceEqualityComparer.Instance);

    private OnnxShapeTrace()
    {
    }

    /// <summary>Traces <paramref name="network"/> on a zero input of shape [1, ..<paramref name="inputShape"/>].</summary>
    /// <param name="network">The network; left in the training mode it was in.</param>
    /// <param name="inputShape">Its input shape per row.</param>
    public static OnnxShapeTrace Run(nn.Module network, IReadOnlyList<long> inputShape)
    {
        var trace = new OnnxShapeTrace();
        if (network is not nn.Module<Tensor, Tensor> root)
        {
            return trace;
        }

        var removers = new List<Action>();
        var wasTraining = root.training;
        try
        {
            foreach (var module in root.modules().OfType<nn.Module<Tensor, Tensor>>())
            {
                var hook = module.register_forward_pre_hook((m, x) =>
                {
                    trace.shapes[m] = x.shape;
                    return x;
                });
                removers.Add(hook.remove);
            }

            root.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var parameter = root.parameters().FirstOrDefault();
            root.call(zeros([1, .. inputShape], parameter?.dtype ?? ScalarType.Float32, parameter?.device ?? CPU));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"Exporting to ONNX needs the input size of a layer, so the network runs once on a zero input of shape [1, {string.Join(", ", inputShape)}], and that failed: {e.Message}", e);
        }
        finally
        {
            removers.ForEach(remove => remove());
            root.train(wasTraining);
        }

        return trace;
    }

    /// <summary>The shape [1, ...] of the input <paramref name="module"/> received, or null if it was not called.</summary>
    /// <param name="module">A module of the traced network.</param>
    public long[]? InputShapeOf(nn.Module module) => shapes.TryGetValue(module, out var shape) ? shape : null;
}
