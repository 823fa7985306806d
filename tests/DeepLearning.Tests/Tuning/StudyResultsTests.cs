using Microsoft.ML;
using Microsoft.ML.Data;
using DeepLearning.Trainers.Tuning;

namespace DeepLearning.Tests.Tuning;

/// <summary>A study's results as a ranked table, CSV, IDataView and PNG.</summary>
public sealed class StudyResultsTests : TempDirectoryTest
{
    [Fact]
    public void TableCsvDataViewAndPlotShowEveryTrial()
    {
        var space = new SearchSpace().LogUniform("LearningRate", 1e-4, 1e-1).OneMinusLogUniform("Beta", 0.9, 0.999).Integer("Width", 8, 64, log: true).Categorical("Kind", "a,b", "c");
        var objective = TuningObjective.Minimizing("Distance").SubjectTo("Latency", atMost: 5);
        using var study = new Study(space, objective, new StudyOptions { Trials = 8 });
        var results = study.Optimize(t => t.Number == 7
            ? throw new InvalidOperationException("boom")
            : new TrialResult(Math.Abs(Math.Log10(t.Parameters.GetDouble("LearningRate") / 3e-3)), new Dictionary<string, double> { ["Latency"] = t.Number }));

        var best = results.BestTrial!;
        Assert.True(best.Metrics["Latency"] <= 5);
        var lines = results.ToRankedTable().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(9, lines.Length);
        Assert.Equal(best.Number.ToString(), lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Contains("failed", lines[^1]);
        Assert.Equal(3, results.ToRankedTable(top: 2).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var csv = Path.Combine(Dir, "out", "trials.csv");
        results.WriteCsv(csv);
        var rows = File.ReadAllLines(csv);
        Assert.Equal("Number,State,Distance,Feasible,Seconds,Worker,Failure,LearningRate,Beta,Width,Kind,Latency", rows[0]);
        Assert.Equal(9, rows.Length);
        Assert.Contains("Failed,,false", rows[8]);
        Assert.Contains("InvalidOperationException: boom", rows[8]);

        var view = results.ToDataView();
        Assert.Equal(8, view.GetRowCount());
        var rates = view.GetColumn<double>("LearningRate").ToArray();
        Assert.Equal(results.Trials.Select(t => t.Parameters.GetDouble("LearningRate")), rates);
        Assert.Equal(results.Trials.Select(t => t.Parameters.GetString("Kind")), view.GetColumn<string>("Kind"));
        Assert.Equal(results.Trials.Select(t => t.Feasible), view.GetColumn<bool>("Feasible"));

        var png = Path.Combine(Dir, "objective.png");
        results.PlotObjective(png);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
        Assert.True(bytes.Length > 5000);
    }
}
