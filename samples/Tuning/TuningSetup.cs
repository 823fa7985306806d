using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Tuning;
using Microsoft.ML;

namespace DeepLearning.Samples.Tuning;

/// <summary>
/// What every process of the sample shares: the data (a Fashion-MNIST subset split into train and
/// dev the same way everywhere), the search space and the pipeline of a trial.
/// </summary>
internal sealed class TuningSetup
{
    public TuningSetup(MLContext ml, TuningSampleOptions options)
    {
        Ml = ml;
        Options = options;
        var data = SampleData.Load(ml, options.DataDirectory, options.Rows, maxTestRows: 2000);
        var split = ml.Data.TrainTestSplit(data.Train, testFraction: 0.2, seed: 1);
        (Train, Dev, Test, Description) = (split.TrainSet, split.TestSet, data.Test, data.Description);
        Objective = new EstimatorObjective(ml, Pipeline, Train, Dev, EstimatorObjective.MulticlassAccuracy(ml));
    }

    /// <summary>The hyper-parameters: learning rate (log-uniform), hidden width (log-integer), dropout rate (uniform).</summary>
    public static SearchSpace Space() => new SearchSpace()
        .LogUniform("LearningRate", 1e-4, 1e-1)
        .Integer("Width", 32, 512, log: true)
        .Uniform("DropoutRate", 0, 0.5);

    /// <summary>The grid of the same budget: 3 learning rates × 3 widths, dropout at the middle of its range.</summary>
    public static GridSampler Grid() => new(3, new Dictionary<string, int> { ["DropoutRate"] = 1 });

    public MLContext Ml { get; }

    public TuningSampleOptions Options { get; }

    public IDataView Train { get; }

    public IDataView Dev { get; }

    public IDataView Test { get; }

    public string Description { get; }

    /// <summary>Fits a pipeline on train and scores dev accuracy; also measures latency and model size.</summary>
    public EstimatorObjective Objective { get; }

    /// <summary>
    /// The objective: dev accuracy, subject to a model of at most 2 MB (which rules out the widest
    /// networks). A latency bound (<see cref="EstimatorObjective.LatencyMetric"/>) works the same
    /// way; it is left out here because a first trial's timing includes JIT compilation.
    /// </summary>
    public static TuningObjective Goal() => TuningObjective.Maximizing("DevAccuracy")
        .SubjectTo(EstimatorObjective.ModelSizeMetric, atMost: 2);

    private IEstimator<ITransformer> Pipeline(TrialParameters p)
        => Ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(Ml.MulticlassClassification.Trainers.DeepNeuralNetwork(p.ApplyTo(new DeepNeuralNetworkTrainer.Options
            {
                // LearningRate comes from the trial by name; Width and DropoutRate are read here.
                HiddenLayers = [p.GetInt("Width"), p.GetInt("Width")],
                Dropout = [p.GetDouble("DropoutRate")],
                Optimizer = OptimizerKind.Adam,
                BatchSize = 128,
                Epochs = Options.Epochs,
                ValidationFraction = 0.1,
                NumberOfThreads = Options.Threads,
            })));
}
