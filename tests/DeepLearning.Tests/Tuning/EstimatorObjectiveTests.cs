using DeepLearning.Tests.Estimators;
using DeepLearning.Trainers;
using DeepLearning.Trainers.Estimators;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Tuning;
using Microsoft.ML;

namespace DeepLearning.Tests.Tuning;

/// <summary>Tuning an ML.NET pipeline with the deep network: parameters reach the trainer, epochs reach the pruner, a pruned fit stops as Pruned, the best refits.</summary>
public sealed class EstimatorObjectiveTests
{
    [Fact]
    public void ApplyToSetsTheTrainerOptionsNamedLikeParameters()
    {
        var space = new SearchSpace().LogUniform("LearningRate", 0.02, 0.02).Integer("BatchSize", 16, 16).Categorical("Optimizer", "Nesterov").Categorical("Width", "wide");
        var parameters = new RandomSampler().Sample(space, 1)[0];
        var options = parameters.ApplyTo(new DeepNeuralNetworkTrainer.Options());

        Assert.Equal(0.02, options.LearningRate, 12);
        Assert.Equal(16, options.BatchSize);
        Assert.Equal(OptimizerKind.Nesterov, options.Optimizer);
        Assert.Null(options.Progress);
    }

    [Fact]
    public void TrialsReportEachEpochAPrunedFitIsPrunedAndTheBestRefits()
    {
        var ml = new MLContext(seed: 1);
        var training = ml.Data.LoadFromEnumerable(SyntheticRows.Classes(90, seed: 1));
        var validation = ml.Data.LoadFromEnumerable(SyntheticRows.Classes(60, seed: 2));
        // Grid order: a good learning rate first, then one too small to learn in an epoch, which the pruner stops.
        var space = new SearchSpace().Categorical("Speed", "fast", "frozen");
        IEstimator<ITransformer> Pipeline(TrialParameters p)
            => ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.MulticlassClassification.Trainers.DeepNeuralNetwork(p.ApplyTo(new DeepNeuralNetworkTrainer.Options
                {
                    HiddenLayers = [16],
                    Epochs = 4,
                    BatchSize = 16,
                    LearningRate = p.GetString("Speed") == "fast" ? 0.05 : 1e-7,
                    NumberOfThreads = 1,
                })));
        var objective = new EstimatorObjective(ml, Pipeline, training, validation, EstimatorObjective.MulticlassAccuracy(ml));
        var options = new StudyOptions { Trials = 2, Sampler = new GridSampler(), Pruner = new SuccessiveHalvingPruner(1, 2) };
        using var study = new Study(space, TuningObjective.Maximizing("Accuracy").SubjectTo(EstimatorObjective.ModelSizeMetric, atMost: 10), options);

        var results = study.Optimize(objective.Run);

        var fast = results.Trials[0];
        Assert.Equal(TrialState.Complete, fast.State);
        Assert.Equal([1, 2, 3, 4], fast.IntermediateValues.Keys.Order());
        Assert.True(fast.Value > 0.8, $"accuracy {fast.Value}");
        Assert.True(fast.Feasible);
        Assert.InRange(fast.Metrics[EstimatorObjective.ModelSizeMetric], 1e-4, 10);
        Assert.True(fast.Metrics[EstimatorObjective.LatencyMetric] > 0);
        var frozen = results.Trials[1];
        Assert.Equal(TrialState.Pruned, frozen.State);
        Assert.Equal([1], frozen.IntermediateValues.Keys);

        var refit = objective.Refit(results.BestTrial!.Parameters, training);
        Assert.True(EstimatorObjective.MulticlassAccuracy(ml)(refit.Transform(validation)) > 0.8);
    }
}
