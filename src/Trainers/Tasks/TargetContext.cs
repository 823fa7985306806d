using DeepLearning.Transforms.Networks;
using Microsoft.ML;

namespace DeepLearning.Trainers.Tasks;

/// <summary>What a <see cref="TrainingTask"/> binds its targets to.</summary>
/// <param name="Data">Training or validation data.</param>
/// <param name="LabelColumnName">The trainer's label column option.</param>
/// <param name="Training">The training data's binding when <paramref name="Data"/> is validation data (its classes rule), else <see langword="null"/>.</param>
/// <param name="InputShape">Shape of one input row as the network sees it (e.g. <c>[C, H, W]</c>), for targets relative to the input (boxes).</param>
/// <param name="Architecture">The trainer's architecture option, for tasks whose targets depend on the network's layout (a detector's grid), else <see langword="null"/>.</param>
internal sealed record TargetContext(IDataView Data, string LabelColumnName, TargetBinding? Training, IReadOnlyList<long> InputShape, NetworkSpec? Architecture = null);
