using DeepLearning.Trainers.Tuning;

namespace DeepLearning.Tests.Tuning;

/// <summary>Successive halving and Hyperband on synthetic learning curves whose final order is known.</summary>
public sealed class PrunerTests
{
    private const int Epochs = 27;

    [Fact]
    public void SuccessiveHalvingKeepsTheBestConfigurationAndStopsMostOthers()
    {
        var (results, epochsRun) = Run(new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3), maximize: true);
        AssertBestSurvives(results, maximize: true);
        Assert.True(results.Trials.Count(t => t.State == TrialState.Pruned) >= 20, results.ToRankedTable());
        Assert.True(epochsRun < 0.4 * 30 * Epochs, $"{epochsRun} epochs run");
        Assert.All(results.Trials.Where(t => t.State == TrialState.Pruned), t => Assert.Contains(t.IntermediateValues.Keys.Max(), new[] { 1, 3, 9 }));
    }

    [Fact]
    public void SuccessiveHalvingMinimisesToo()
    {
        var (results, _) = Run(new SuccessiveHalvingPruner(minResource: 2, reductionFactor: 2), maximize: false);
        AssertBestSurvives(results, maximize: false);
        Assert.All(results.Trials.Where(t => t.State == TrialState.Pruned), t => Assert.Contains(t.IntermediateValues.Keys.Max(), new[] { 2, 4, 8, 16 }));
    }

    [Fact]
    public void HyperbandKeepsTheBestConfigurationInEveryBracket()
    {
        var pruner = new HyperbandPruner(minResource: 1, maxResource: Epochs, reductionFactor: 3);
        Assert.Equal(4, pruner.Brackets);
        var (results, _) = Run(pruner, maximize: true);
        AssertBestSurvives(results, maximize: true);
        Assert.Contains(results.Trials, t => t.State == TrialState.Pruned);

        // The last bracket (first rung at 27 = the full run) never prunes.
        Assert.All(results.Trials.Where(t => t.Number % 4 == 3), t => Assert.Equal(TrialState.Complete, t.State));
    }

    [Theory]
    [InlineData(null, TrialState.Pruned)]
    [InlineData(2, TrialState.Complete)]
    public void ARungAtTheFullRunPrunesOnlyWithoutAMaximum(int? maxResource, TrialState expected)
    {
        var space = new SearchSpace().Categorical("Curve", "good", "bad");
        var options = new StudyOptions { Trials = 2, Sampler = new GridSampler(), Pruner = new SuccessiveHalvingPruner(2, 2, maxResource) };
        using var study = new Study(space, TuningObjective.Maximizing("Accuracy"), options);
        var results = study.Optimize(trial =>
        {
            var value = trial.Parameters.GetString("Curve") == "good" ? 0.9 : 0.1;
            trial.Report(1, value);
            trial.Report(2, value);
            return new TrialResult(value);
        });

        Assert.Equal(TrialState.Complete, results.Trials[0].State);
        Assert.Equal(expected, results.Trials[1].State);
    }

    [Fact]
    public void PrunerOptionsAreChecked()
    {
        Assert.Contains("maxResource = 1", Assert.Throws<ArgumentOutOfRangeException>(() => new SuccessiveHalvingPruner(2, 2, 1)).Message);
        Assert.Contains("reductionFactor = 1", Assert.Throws<ArgumentOutOfRangeException>(() => new SuccessiveHalvingPruner(1, 1)).Message);
        Assert.Contains("maxResource = 2", Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandPruner(3, 2)).Message);
    }

    /// <summary>30 trials whose curve rises towards a quality q (maximised) or falls towards 1 − q (minimised), in the same order at every epoch.</summary>
    private static (StudyResults Results, int EpochsRun) Run(TrialPruner pruner, bool maximize)
    {
        var space = new SearchSpace().Uniform("Quality", 0, 1);
        var objective = maximize ? TuningObjective.Maximizing("Accuracy") : TuningObjective.Minimizing("Error");
        using var study = new Study(space, objective, new StudyOptions { Trials = 30, Pruner = pruner, Sampler = new RandomSampler(3) });
        var epochsRun = 0;
        var results = study.Optimize(trial =>
        {
            var q = trial.Parameters.GetDouble("Quality");
            double value = 0;
            for (var epoch = 1; epoch <= Epochs; epoch++)
            {
                epochsRun++;
                var accuracy = q * epoch / (epoch + 3.0);
                value = maximize ? accuracy : 1 - accuracy;
                if (!trial.Report(epoch, value))
                {
                    Assert.True(trial.CancellationToken.IsCancellationRequested);
                    break;
                }
            }

            return new TrialResult(value);
        });
        return (results, epochsRun);
    }

    private static void AssertBestSurvives(StudyResults results, bool maximize)
    {
        Assert.Equal(30, results.Trials.Count);
        var truth = results.Trials.MaxBy(t => t.Parameters.GetDouble("Quality"))!;
        Assert.Equal(TrialState.Complete, truth.State);
        Assert.Equal(truth.Number, results.BestTrial!.Number);
    }
}
