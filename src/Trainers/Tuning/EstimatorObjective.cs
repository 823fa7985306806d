using System.Diagnostics;
using Microsoft.ML;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// The objective of a trial for any ML.NET pipeline: builds the pipeline from the trial's
/// parameters, fits it on the training data, scores the validation data and computes the metric.
/// It also measures <see cref="LatencyMetric"/> and <see cref="ModelSizeMetric"/> for satisficing
/// constraints. Pipelines whose trainers take their options through
/// <see cref="TrialParameters.ApplyTo{TOptions}"/> report each epoch to the pruner and stop when pruned.
/// Use it as <c>study.Optimize(objective.Run)</c>.
/// </summary>
public sealed class EstimatorObjective
{
    /// <summary>Name of the metric holding the time to score the validation set and compute the metric, in milliseconds per row.</summary>
    public const string LatencyMetric = "LatencyMsPerRow";

    /// <summary>Name of the metric holding the size of the fitted pipeline saved as an ML.NET model zip, in megabytes (10⁶ bytes).</summary>
    public const string ModelSizeMetric = "ModelSizeMB";

    private readonly MLContext _ml;
    private readonly Func<TrialParameters, IEstimator<ITransformer>> _pipeline;
    private readonly IDataView _training;
    private readonly IDataView _validation;
    private readonly Func<IDataView, double> _metric;

    /// <summary>Creates the objective.</summary>
    /// <param name="ml">The ML.NET context (model saving for the size metric).</param>
    /// <param name="pipeline">Builds the pipeline of a trial from its parameters.</param>
    /// <param name="training">Data every trial fits on.</param>
    /// <param name="validation">Data every trial is scored on (the dev set).</param>
    /// <param name="metric">The objective's value from the scored validation data, e.g. <see cref="MulticlassAccuracy"/>.</param>
    public EstimatorObjective(MLContext ml, Func<TrialParameters, IEstimator<ITransformer>> pipeline, IDataView training, IDataView validation, Func<IDataView, double> metric)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(metric);
        (_ml, _pipeline, _training, _validation, _metric) = (ml, pipeline, training, validation, metric);
    }

    /// <summary>The micro-accuracy of a multiclass classifier's scored data (label column of key type).</summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="labelColumnName">The label column. Default <c>Label</c>.</param>
    /// <returns>The metric function.</returns>
    public static Func<IDataView, double> MulticlassAccuracy(MLContext ml, string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(ml);
        return scored => ml.MulticlassClassification.Evaluate(scored, labelColumnName).MicroAccuracy;
    }

    /// <summary>Runs one trial: fit, score, measure.</summary>
    /// <param name="trial">The trial.</param>
    /// <returns>The metric's value, with the latency and model size.</returns>
    public TrialResult Run(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var model = _pipeline(trial.Parameters).Fit(_training);
        trial.CancellationToken.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var value = _metric(model.Transform(_validation));
        var elapsed = clock.Elapsed.TotalMilliseconds;
        var rows = _validation.GetRowCount() ?? _validation.Preview(maxRows: int.MaxValue).RowView.Length;
        using var zip = new MemoryStream();
        _ml.Model.Save(model, _training.Schema, zip);
        (model as IDisposable)?.Dispose();
        return new TrialResult(value, new Dictionary<string, double>
        {
            [LatencyMetric] = elapsed / Math.Max(1, rows),
            [ModelSizeMetric] = zip.Length / 1e6,
        });
    }

    /// <summary>Fits the pipeline of <paramref name="parameters"/> (e.g. the best trial's) on <paramref name="data"/>, outside any trial.</summary>
    /// <param name="parameters">The parameters, e.g. <c>results.BestTrial.Parameters</c>.</param>
    /// <param name="data">The data to fit on, e.g. training and validation data together.</param>
    /// <returns>The fitted pipeline.</returns>
    public ITransformer Refit(TrialParameters parameters, IDataView data)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(data);
        return _pipeline(parameters.WithoutTrial()).Fit(data);
    }
}
