using DeepLearning.Transforms.MlNet;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Heads;

/// <summary>The annotations ML.NET's trainers put on prediction columns, so evaluators recognise ours.</summary>
internal static class ScoreAnnotations
{
    /// <summary>Score-column annotations: the task (<c>ScoreColumnKind</c>), what the column holds (<c>ScoreValueKind</c>), and slot names if given.</summary>
    /// <param name="task">The ML.NET task name, e.g. <c>MulticlassClassification</c>.</param>
    /// <param name="valueKind">Score, Probability or PredictedLabel (<see cref="MlNetEnvironment.ScoreKinds"/>).</param>
    /// <param name="slotNames">Names of the vector's slots, or <see langword="null"/>.</param>
    public static DataViewSchema.Annotations Create(string task, string valueKind, KeyValuesAnnotation? slotNames = null)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        if (slotNames is not null)
        {
            var names = slotNames.AsSlotNames();
            ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter = (ref VBuffer<ReadOnlyMemory<char>> dst) => names.CopyTo(ref dst);
            builder.Add(MlNetEnvironment.AnnotationKindNames.SlotNames, new VectorDataViewType(TextDataViewType.Instance, slotNames.Values.Count), getter);
        }

        AddKinds(builder, task, valueKind);
        return builder.ToAnnotations();
    }

    /// <summary>A predicted-label key column's annotations: the label's key values (if any) and the score kinds.</summary>
    /// <param name="task">The ML.NET task name.</param>
    /// <param name="keyValues">The label's key values, or <see langword="null"/>.</param>
    public static DataViewSchema.Annotations PredictedKey(string task, KeyValuesAnnotation? keyValues)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        keyValues?.AddTo(builder);
        AddKinds(builder, task, MlNetEnvironment.ScoreKinds.PredictedLabel);
        return builder.ToAnnotations();
    }

    private static void AddKinds(DataViewSchema.Annotations.Builder builder, string task, string valueKind)
    {
        builder.Add(MlNetEnvironment.ScoreKinds.ColumnKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = task.AsMemory());
        builder.Add(MlNetEnvironment.ScoreKinds.ValueKind, TextDataViewType.Instance, (ref ReadOnlyMemory<char> dst) => dst = valueKind.AsMemory());
    }
}
