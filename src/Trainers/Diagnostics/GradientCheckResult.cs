namespace DeepLearning.Trainers.Diagnostics;

/// <summary>
/// Outcome of a <see cref="GradientCheck"/>: relative errors
/// ‖g_autograd − g_numeric‖₂ / (‖g_autograd‖₂ + ‖g_numeric‖₂) over the checked elements
/// (0 when both gradients are 0).
/// </summary>
/// <param name="RelativeError">Relative error over all checked elements of all tensors.</param>
/// <param name="TensorErrors">Relative error of each tensor, by name. A tensor whose true gradient is 0
/// (e.g. the bias of a linear layer followed by batch normalisation) can show a large error here
/// made of rounding noise alone; judge by <see cref="RelativeError"/>.</param>
/// <param name="WorstTensor">Name of the tensor with the largest relative error.</param>
/// <param name="ElementsChecked">Number of elements perturbed, over all tensors.</param>
public sealed record GradientCheckResult(
    double RelativeError,
    IReadOnlyDictionary<string, double> TensorErrors,
    string WorstTensor,
    int ElementsChecked)
{
    /// <summary>Whether the overall relative error is at most <paramref name="tolerance"/>.</summary>
    /// <param name="tolerance">Largest acceptable relative error; 1e-6 suits float64 with ε = 1e-6
    /// (about 1e-7 or below is typical of correct backpropagation, above 1e-3 is almost surely a bug).</param>
    public bool Passed(double tolerance = 1e-6) => RelativeError <= tolerance;

    /// <inheritdoc />
    public override string ToString() =>
        $"relative error {RelativeError:E2} over {ElementsChecked} elements; worst tensor {WorstTensor} ({TensorErrors[WorstTensor]:E2})";
}
