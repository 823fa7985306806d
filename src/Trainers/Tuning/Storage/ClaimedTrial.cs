namespace DeepLearning.Trainers.Tuning.Storage;

/// <summary>A trial a worker has claimed.</summary>
/// <param name="Id">Storage id (unique across studies).</param>
/// <param name="Number">Number in its study.</param>
/// <param name="ParametersJson">Its parameters as JSON.</param>
internal sealed record ClaimedTrial(long Id, int Number, string ParametersJson);
