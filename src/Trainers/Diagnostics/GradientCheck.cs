using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Diagnostics;

/// <summary>
/// Gradient checking as taught in a first deep learning course: compares the gradient that
/// autograd (backpropagation) computes with the centred finite difference
/// (J(θ + ε) − J(θ − ε)) / 2ε of every checked element θ, and reports the relative error
/// ‖g_autograd − g_numeric‖₂ / (‖g_autograd‖₂ + ‖g_numeric‖₂).
/// </summary>
/// <remarks>
/// <para>Work in float64: convert the module with <c>module.to(ScalarType.Float64)</c> and make the
/// data float64 too. In float32 a finite difference with ε = 1e-6 is rounding noise, so
/// float32 tensors are rejected.</para>
/// <para>The loss function must be deterministic: it is evaluated once with autograd and twice per
/// checked element. Dropout draws a new mask each time, so re-seed inside the loss function
/// (e.g. <c>torch.random.manual_seed(1)</c> before the forward pass) to get the same mask on every
/// evaluation. Batch normalisation in training mode is deterministic, but each evaluation updates its
/// running statistics; save the state_dict first if they matter.</para>
/// <para>Elements are perturbed in place (under <c>torch.no_grad()</c>) and restored to their exact
/// original value. Every tensor must take part in the loss. A relative error around 1e-7 or below
/// means backpropagation is right; above 1e-3 almost surely means a bug.</para>
/// </remarks>
public static class GradientCheck
{
    /// <summary>Default perturbation ε.</summary>
    public const double DefaultEpsilon = 1e-6;

    /// <summary>Default number of elements checked per tensor; larger tensors are sampled.</summary>
    public const int DefaultMaxElementsPerTensor = 100;

    /// <summary>Checks the gradients of all trainable parameters of <paramref name="module"/>.</summary>
    /// <param name="loss">Recomputes the scalar loss from the current parameter values.</param>
    /// <param name="module">The module, converted to float64.</param>
    /// <param name="epsilon">Perturbation ε; positive.</param>
    /// <param name="maxElementsPerTensor">At most this many elements per tensor are checked, drawn at random without replacement.</param>
    /// <param name="seed">Seed of the element sample.</param>
    /// <returns>The relative errors.</returns>
    /// <exception cref="ArgumentException">A parameter is not float64, or the loss is not a scalar.</exception>
    public static GradientCheckResult Run(
        Func<Tensor> loss,
        nn.Module module,
        double epsilon = DefaultEpsilon,
        int maxElementsPerTensor = DefaultMaxElementsPerTensor,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(module);
        var parameters = module.named_parameters()
            .Where(p => p.parameter.requires_grad)
            .Select(p => (p.name, (Tensor)p.parameter));
        return Run(loss, parameters, epsilon, maxElementsPerTensor, seed);
    }

    /// <summary>Checks the gradients of the loss with respect to the given tensors.</summary>
    /// <param name="loss">Recomputes the scalar loss from the current tensor values.</param>
    /// <param name="parameters">Named float64 tensors with <c>requires_grad</c>: parameters, or inputs such as a data tensor.</param>
    /// <param name="epsilon">Perturbation ε; positive.</param>
    /// <param name="maxElementsPerTensor">At most this many elements per tensor are checked, drawn at random without replacement.</param>
    /// <param name="seed">Seed of the element sample.</param>
    /// <returns>The relative errors.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> or <paramref name="maxElementsPerTensor"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A tensor is not float64, does not require grad or is not contiguous; names repeat; or the loss is not a scalar.</exception>
    public static GradientCheckResult Run(
        Func<Tensor> loss,
        IEnumerable<(string Name, Tensor Tensor)> parameters,
        double epsilon = DefaultEpsilon,
        int maxElementsPerTensor = DefaultMaxElementsPerTensor,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxElementsPerTensor);
        var tensors = parameters.ToList();
        Validate(tensors);

        var analytic = AutogradGradients(loss, tensors);
        var random = new Random(seed);
        var errors = new Dictionary<string, double>();
        double totalDiff = 0, totalAnalytic = 0, totalNumeric = 0;
        var checkedCount = 0;
        for (var t = 0; t < tensors.Count; t++)
        {
            var (name, tensor) = tensors[t];
            double diff = 0, normAnalytic = 0, normNumeric = 0;
            foreach (var index in SampleIndices(tensor.numel(), maxElementsPerTensor, random))
            {
                var numeric = NumericGradient(loss, tensor, index, epsilon);
                var a = analytic[t][index];
                diff += (a - numeric) * (a - numeric);
                normAnalytic += a * a;
                normNumeric += numeric * numeric;
                checkedCount++;
            }

            errors[name] = RelativeError(diff, normAnalytic, normNumeric);
            totalDiff += diff;
            totalAnalytic += normAnalytic;
            totalNumeric += normNumeric;
        }

        var worst = errors.MaxBy(e => e.Value).Key;
        return new GradientCheckResult(RelativeError(totalDiff, totalAnalytic, totalNumeric), errors, worst, checkedCount);
    }

    private static void Validate(List<(string Name, Tensor Tensor)> tensors)
    {
        if (tensors.Count == 0)
        {
            throw new ArgumentException("There are no tensors to check.", "parameters");
        }

        var names = new HashSet<string>();
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            if (!names.Add(name))
            {
                throw new ArgumentException($"The tensor name '{name}' appears twice.", "parameters");
            }

            if (tensor.dtype != ScalarType.Float64)
            {
                throw new ArgumentException(
                    $"Tensor '{name}' is {tensor.dtype}; gradient checking needs float64 (finite differences at ε = 1e-6 are meaningless in float32). Convert the module with module.to(ScalarType.Float64).",
                    "parameters");
            }

            if (!tensor.requires_grad)
            {
                throw new ArgumentException($"Tensor '{name}' does not require grad.", "parameters");
            }

            if (!tensor.is_contiguous())
            {
                throw new ArgumentException($"Tensor '{name}' is not contiguous, so it cannot be perturbed element by element.", "parameters");
            }
        }
    }

    /// <summary>Autograd gradients of the loss, one flat array per tensor.</summary>
    private static double[][] AutogradGradients(Func<Tensor> loss, List<(string Name, Tensor Tensor)> tensors)
    {
        using var scope = torch.NewDisposeScope();
        using var gradMode = torch.enable_grad();
        var value = Scalar(loss);
        var gradients = torch.autograd.grad([value], tensors.Select(t => t.Tensor).ToList());
        return gradients.Select(g => g.contiguous().cpu().data<double>().ToArray()).ToArray();
    }

    /// <summary>(J(θ + ε) − J(θ − ε)) / 2ε for one element, which is restored afterwards.</summary>
    private static double NumericGradient(Func<Tensor> loss, Tensor tensor, long index, double epsilon)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var element = tensor.view(-1)[index];
        var original = element.item<double>();
        try
        {
            var plus = original + epsilon;
            var minus = original - epsilon;
            element.fill_(plus);
            var lossPlus = Evaluate(loss);
            element.fill_(minus);
            var lossMinus = Evaluate(loss);
            // Divide by the step actually taken (plus − minus is 2ε up to rounding).
            return (lossPlus - lossMinus) / (plus - minus);
        }
        finally
        {
            element.fill_(original);
        }
    }

    private static double Evaluate(Func<Tensor> loss)
    {
        using var scope = torch.NewDisposeScope();
        return Scalar(loss).ToDouble();
    }

    private static Tensor Scalar(Func<Tensor> loss)
    {
        var value = loss() ?? throw new InvalidOperationException("The loss function returned null.");
        if (value.numel() != 1)
        {
            throw new ArgumentException($"The loss must be a scalar, got shape [{string.Join(", ", value.shape)}].", nameof(loss));
        }

        return value;
    }

    /// <summary>All indices when <paramref name="count"/> ≤ <paramref name="max"/>, else a sorted random sample of <paramref name="max"/>.</summary>
    private static IEnumerable<long> SampleIndices(long count, int max, Random random)
    {
        if (count <= max)
        {
            for (long i = 0; i < count; i++)
            {
                yield return i;
            }

            yield break;
        }

        var sample = new SortedSet<long>();
        while (sample.Count < max)
        {
            sample.Add(random.NextInt64(count));
        }

        foreach (var i in sample)
        {
            yield return i;
        }
    }

    private static double RelativeError(double squaredDiff, double squaredAnalytic, double squaredNumeric)
    {
        var denominator = Math.Sqrt(squaredAnalytic) + Math.Sqrt(squaredNumeric);
        return denominator == 0 ? 0 : Math.Sqrt(squaredDiff) / denominator;
    }
}
