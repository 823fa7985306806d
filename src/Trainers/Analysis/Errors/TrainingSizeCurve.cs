using System.Globalization;
using System.Text;

namespace DeepLearning.Trainers.Analysis;

/// <summary>One point of a learning curve against training-set size.</summary>
/// <param name="Size">Training rows the model was fitted on.</param>
/// <param name="TrainError">Error rate on those training rows.</param>
/// <param name="DevError">Error rate on the dev set.</param>
public sealed record TrainingSizePoint(int Size, double TrainError, double DevError);

/// <summary>
/// Train and dev error against training-set size (see <see cref="ErrorAnalysis.LearningCurve"/>):
/// a dev curve still falling at the largest size says more data will help (variance); train and dev
/// curves that meet high say it will not (bias).
/// </summary>
public sealed class TrainingSizeCurve
{
    internal TrainingSizeCurve(IReadOnlyList<TrainingSizePoint> points) => Points = points;

    /// <summary>The points, smallest training set first.</summary>
    public IReadOnlyList<TrainingSizePoint> Points { get; }

    /// <summary>Writes the two curves (PNG), error against training-set size, with an optional human-level line.</summary>
    /// <param name="path">The PNG file to write (its folder is created).</param>
    /// <param name="humanError">Human-level error to draw as a dashed line, in [0, 1]; <see langword="null"/> for none.</param>
    /// <param name="options">Size and title; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void WritePlot(string path, double? humanError = null, PlotOptions? options = null)
    {
        var o = options ?? new PlotOptions();
        o.Validate();
        if (humanError is { } human)
        {
            Transforms.Validation.OptionCheck.Require(human is >= 0 and <= 1, human, nameof(humanError), "an error rate in [0, 1]");
        }

        PlotFile.Write(TrainingSizeCurvePlot.Build(this, humanError, o.Title ?? "Learning curves: error against training-set size"), path, o.Width, o.Height);
    }

    /// <summary>The points as a table.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{"train rows",10}{"train error",13}{"dev error",11}");
        foreach (var p in Points)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{p.Size,10}{100 * p.TrainError,12:0.00}%{100 * p.DevError,10:0.00}%"));
        }

        return text.ToString();
    }
}
