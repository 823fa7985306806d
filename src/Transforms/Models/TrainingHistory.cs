using System.Collections;
using System.Text.Json.Nodes;

namespace DeepLearning.Transforms.Models;

/// <summary>The per-epoch metrics of one training run, how it ended, and what looked wrong in the data.</summary>
public sealed class TrainingHistory : IReadOnlyList<EpochMetrics>
{
    private readonly IReadOnlyList<EpochMetrics> _epochs;

    /// <summary>Creates a history.</summary>
    /// <param name="epochs">Metrics of each epoch run, in order.</param>
    /// <param name="bestEpoch">1-based epoch whose weights the model holds.</param>
    /// <param name="stoppedEarly">Whether early stopping ended the run.</param>
    /// <param name="warnings">Warnings about the training data (also sent to the log), or <see langword="null"/> for none.</param>
    /// <param name="recipe">How the model was trained (see <see cref="Recipe"/>), or <see langword="null"/>.</param>
    public TrainingHistory(IReadOnlyList<EpochMetrics> epochs, int bestEpoch, bool stoppedEarly, IReadOnlyList<string>? warnings = null, JsonObject? recipe = null)
    {
        _epochs = epochs ?? throw new ArgumentNullException(nameof(epochs));
        BestEpoch = bestEpoch;
        StoppedEarly = stoppedEarly;
        Warnings = warnings ?? [];
        Recipe = recipe;
    }

    /// <summary>1-based epoch whose weights the model holds (the last one without early stopping).</summary>
    public int BestEpoch { get; }

    /// <summary>Whether early stopping ended the run before the last epoch.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Warnings about the training data, e.g. class indices that never occur.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// How the model was trained, as the trainer wrote it: its name, the loop's options (epochs, batch
    /// size, optimiser, learning rate, seed …) and its own settings, such as the augmentation pipeline
    /// (<c>Recipe["augmentation"]</c>, read back with <c>AugmentationPipeline.FromJson</c>). Saved with
    /// the model; never used when scoring. <see langword="null"/> when the trainer wrote none.
    /// </summary>
    public JsonObject? Recipe { get; }

    /// <inheritdoc />
    public int Count => _epochs.Count;

    /// <inheritdoc />
    public EpochMetrics this[int index] => _epochs[index];

    /// <summary>This history with <paramref name="warnings"/> added.</summary>
    /// <param name="warnings">Warnings to add.</param>
    public TrainingHistory WithWarnings(IEnumerable<string> warnings) => new(_epochs, BestEpoch, StoppedEarly, [.. Warnings, .. warnings], Recipe);

    /// <summary>This history with <paramref name="recipe"/> as its <see cref="Recipe"/>.</summary>
    /// <param name="recipe">How the model was trained.</param>
    public TrainingHistory WithRecipe(JsonObject? recipe) => new(_epochs, BestEpoch, StoppedEarly, Warnings, recipe);

    /// <summary>Writes the history in binary (training checkpoints).</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(BestEpoch);
        writer.Write(StoppedEarly);
        writer.Write(_epochs.Count);
        foreach (var e in _epochs)
        {
            writer.Write(e.Epoch);
            writer.Write(e.TrainingLoss);
            writer.Write(e.TrainingMetric);
            writer.Write(e.ValidationLoss ?? double.NaN);
            writer.Write(e.ValidationMetric ?? double.NaN);
            writer.Write(e.LearningRate);
            writer.Write(e.Duration.Ticks);
            WriteByTask(writer, e.TrainingMetricByTask);
            WriteByTask(writer, e.ValidationMetricByTask);
        }

        writer.Write(Warnings.Count);
        foreach (var warning in Warnings)
        {
            writer.Write(warning);
        }
    }

    /// <summary>Reads a history written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The counts are implausible.</exception>
    internal static TrainingHistory Read(BinaryReader reader)
    {
        var best = reader.ReadInt32();
        var stoppedEarly = reader.ReadBoolean();
        var epochs = new EpochMetrics[Plausible(reader.ReadInt32(), "epochs")];
        for (var i = 0; i < epochs.Length; i++)
        {
            var epoch = reader.ReadInt32();
            var loss = reader.ReadDouble();
            var metric = reader.ReadDouble();
            var validationLoss = reader.ReadDouble();
            var validationMetric = reader.ReadDouble();
            var rate = reader.ReadDouble();
            var ticks = reader.ReadInt64();
            var trainingByTask = ReadByTask(reader);
            var validationByTask = ReadByTask(reader);
            epochs[i] = new EpochMetrics(epoch, loss, metric, double.IsNaN(validationLoss) ? null : validationLoss, double.IsNaN(validationMetric) ? null : validationMetric, rate, TimeSpan.FromTicks(ticks), trainingByTask, validationByTask);
        }

        var warnings = new string[Plausible(reader.ReadInt32(), "warnings")];
        for (var i = 0; i < warnings.Length; i++)
        {
            warnings[i] = reader.ReadString();
        }

        return new TrainingHistory(epochs, best, stoppedEarly, warnings);
    }

    /// <summary>Writes per-task metrics: a count (−1 for none), then name and value pairs.</summary>
    private static void WriteByTask(BinaryWriter writer, IReadOnlyDictionary<string, double>? byTask)
    {
        writer.Write(byTask?.Count ?? -1);
        foreach (var (name, value) in byTask ?? new Dictionary<string, double>())
        {
            writer.Write(name);
            writer.Write(value);
        }
    }

    private static Dictionary<string, double>? ReadByTask(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count == -1)
        {
            return null;
        }

        var byTask = new Dictionary<string, double>(Plausible(count, "tasks"));
        for (var i = 0; i < count; i++)
        {
            byTask[reader.ReadString()] = reader.ReadDouble();
        }

        return byTask;
    }

    private static int Plausible(int count, string what)
        => count is >= 0 and <= 1_000_000 ? count : throw new InvalidDataException($"The saved training history claims {count} {what}.");

    /// <inheritdoc />
    public IEnumerator<EpochMetrics> GetEnumerator() => _epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
