using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Keeps the module named <see cref="Module"/> (as in <c>named_modules()</c>, e.g. <c>features</c> or
/// <c>layers.fc1</c>) frozen during the epochs before <see cref="UnfreezeAtEpoch"/>: its parameters get
/// no gradients (so no optimiser, weight decay or momentum changes them) and its batch-norm layers
/// stay in evaluation mode (their running statistics do not change).
/// </summary>
/// <param name="Module">The module's name; not empty.</param>
/// <param name="UnfreezeAtEpoch">First epoch in which the module trains; at least 2. Larger than the number of epochs: frozen for the whole run.</param>
internal sealed record FreezeSpec(string Module, int UnfreezeAtEpoch)
{
    /// <summary>Throws an exception naming the invalid value.</summary>
    public void Validate()
    {
        OptionCheck.RequireName(Module, nameof(Module));
        OptionCheck.Require(UnfreezeAtEpoch >= 2, UnfreezeAtEpoch, nameof(UnfreezeAtEpoch), "at least 2");
    }
}
