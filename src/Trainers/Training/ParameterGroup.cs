using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Parameters whose names start with <see cref="Prefix"/> (e.g. <c>layers.fc1.</c> or <c>features.</c>)
/// train at the scheduled learning rate times <see cref="LearningRateMultiplier"/>. A parameter
/// belongs to the group with the longest matching prefix; parameters no group matches train at the
/// scheduled rate. Every schedule scales all groups proportionally.
/// </summary>
/// <param name="Prefix">Start of the parameter names, as in <c>named_parameters()</c>; not empty.</param>
/// <param name="LearningRateMultiplier">Factor on the scheduled rate; greater than 0 and finite.</param>
internal sealed record ParameterGroup(string Prefix, double LearningRateMultiplier)
{
    /// <summary>Throws an exception naming the invalid value.</summary>
    public void Validate()
    {
        OptionCheck.RequireName(Prefix, nameof(Prefix));
        OptionCheck.Require(LearningRateMultiplier > 0 && double.IsFinite(LearningRateMultiplier), LearningRateMultiplier, nameof(LearningRateMultiplier), "greater than 0 and finite");
    }
}
