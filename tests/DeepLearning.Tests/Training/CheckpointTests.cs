using DeepLearning.Tests.Training.Hooks;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "dl-checkpoints-" + Guid.NewGuid().ToString("N"));

    /// <summary>A step-based schedule with a held-out fraction, and a plateau schedule that reduces every epoch on a validation set with wrong labels.</summary>
    public static TheoryData<OptimizerKind, Func<LearningRateSchedule>, bool> Configurations => new()
    {
        { OptimizerKind.Adam, () => new CosineAnnealingSchedule(1e-4), false },
        { OptimizerKind.Momentum, () => new ReduceOnPlateauSchedule(0.5, patience: 1), true },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void ResumingFromACheckpointEndsWithBitIdenticalWeights(OptimizerKind optimizer, Func<LearningRateSchedule> schedule, bool wrongValidation)
    {
        using var data = TrainingData.Make(200, 1);
        using var validation = wrongValidation ? TrainingData.Make(60, 2, labelShift: 1) : null;
        var whole = Fit(data, validation, optimizer, schedule(), Path.Combine(_directory, "whole"), resumeFrom: null, stopAfter: null);
        var interrupted = Fit(data, validation, optimizer, schedule(), Path.Combine(_directory, "interrupted"), resumeFrom: null, stopAfter: 2);
        var resumed = Fit(data, validation, optimizer, schedule(), Path.Combine(_directory, "resumed"), Path.Combine(_directory, "interrupted", Checkpoint.FileName(2)), stopAfter: null);
        using (whole.Epoch4)
        using (whole.Final)
        using (resumed.Epoch4)
        using (resumed.Final)
        {
            Assert.Equal(2, interrupted.History.Count);
            Assert.Equal(4, resumed.History.Count);
            Assert.Equal(whole.History.Select(Comparable), resumed.History.Select(Comparable));
            Assert.Equal(whole.History.BestEpoch, resumed.History.BestEpoch);
            if (wrongValidation)
            {
                // The plateau schedule reduced the rate after the checkpoint too: its state was restored.
                Assert.Equal([0.02, 0.02, 0.01, 0.005], resumed.History.Select(e => e.LearningRate));
            }

            Assert.Empty(resumed.Epoch4.Changed(whole.Epoch4));
            Assert.Empty(resumed.Final.Changed(whole.Final));
            Assert.Contains("0.weight", resumed.Final.Names);
            Assert.Contains("1.running_mean", resumed.Final.Names);
        }
    }

    [Fact]
    public void CheckpointsAreWrittenEveryNEpochsWithoutTemporaryFiles()
    {
        using var data = TrainingData.Make(64, 2);
        var options = new TestOptions { Epochs = 5, CheckpointDirectory = _directory, CheckpointFrequency = 2 };
        using var network = TrainingData.PreparedNetwork(options);
        var lines = new List<string>();
        new TrainingLoop(options, lines.Add).Run(network, new CrossEntropyObjective(), data);
        Assert.Equal([Checkpoint.FileName(2), Checkpoint.FileName(4)], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
        Assert.Contains($"Wrote checkpoint {Path.Combine(_directory, Checkpoint.FileName(4))}.", lines);
    }

    [Theory]
    [InlineData(100, "SHA-256")]
    [InlineData(-1, "truncated")]
    [InlineData(0, "not a training checkpoint")]
    public void ADamagedCheckpointIsRejectedNamingTheFile(int offset, string reason)
    {
        var path = WriteCheckpoint();
        var bytes = File.ReadAllBytes(path);
        if (offset < 0)
        {
            Array.Resize(ref bytes, bytes.Length - 10);
        }
        else
        {
            bytes[offset == 0 ? 1 : bytes.Length - offset] ^= 0x55;
        }

        File.WriteAllBytes(path, bytes);
        var exception = Assert.Throws<InvalidDataException>(() => Resume(path, TrainingData.Network()));
        Assert.Contains(path, exception.Message);
        Assert.Contains(reason, exception.Message);
    }

    [Fact]
    public void ACheckpointCutInItsHeaderIsRejectedNamingTheFile()
    {
        var path = WriteCheckpoint();
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..40]);
        var exception = Assert.Throws<InvalidDataException>(() => Resume(path, TrainingData.Network()));
        Assert.Equal($"Cannot resume from checkpoint '{path}': it is truncated.", exception.Message);
    }

    [Fact]
    public void AnotherFormatVersionIsRejected()
    {
        var path = WriteCheckpoint();
        var bytes = File.ReadAllBytes(path);
        var versionOffset = 1 + "DeepLearning.TrainingCheckpoint".Length;
        BitConverter.GetBytes(Checkpoint.FormatVersion + 1).CopyTo(bytes, versionOffset);
        File.WriteAllBytes(path, bytes);
        var exception = Assert.Throws<InvalidDataException>(() => Resume(path, TrainingData.Network()));
        Assert.Contains($"format version is {Checkpoint.FormatVersion + 1}", exception.Message);
        Assert.Contains(path, exception.Message);
    }

    [Fact]
    public void ACheckpointOfAnotherNetworkDoesNotFit()
    {
        var path = WriteCheckpoint();
        var exception = Assert.Throws<InvalidDataException>(() => Resume(path, nn.Sequential(nn.Linear(TrainingData.Inputs, 8), nn.ReLU(), nn.Linear(8, TrainingData.Classes))));
        Assert.Contains(path, exception.Message);
        Assert.Contains("entry '0.weight'", exception.Message);
    }

    [Fact]
    public void AMissingCheckpointThrowsNamingTheOption()
    {
        var path = Path.Combine(_directory, "missing.dlckpt");
        var exception = Assert.Throws<FileNotFoundException>(() => Resume(path, TrainingData.Network()));
        Assert.Contains("ResumeFromCheckpoint", exception.Message);
        Assert.Equal(path, exception.FileName);
    }

    [Theory]
    [InlineData(0, null, null, "CheckpointFrequency")]
    [InlineData(1, " ", null, "CheckpointDirectory")]
    [InlineData(1, null, "", "ResumeFromCheckpoint")]
    public void InvalidCheckpointOptionsThrowNamingTheOption(int frequency, string? directory, string? resume, string option)
    {
        var options = new TestOptions { CheckpointFrequency = frequency, CheckpointDirectory = directory, ResumeFromCheckpoint = resume };
        var exception = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(option, exception.ParamName);
        Assert.Contains(option, exception.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static (double, double, double?, double?, double) Comparable(EpochMetrics e) => (e.TrainingLoss, e.TrainingMetric, e.ValidationLoss, e.ValidationMetric, e.LearningRate);

    private static (TrainingHistory History, StateSnapshot Epoch4, StateSnapshot Final) Fit(
        CachedBatchSource data, CachedBatchSource? validation, OptimizerKind optimizer, LearningRateSchedule schedule, string directory, string? resumeFrom, int? stopAfter)
    {
        var options = new TestOptions
        {
            Epochs = 4,
            Optimizer = optimizer,
            LearningRate = 0.02,
            LearningRateSchedule = schedule,
            ValidationFraction = validation is null ? 0.25 : 0,
            EarlyStoppingPatience = 10,
            CheckpointDirectory = directory,
            ResumeFromCheckpoint = resumeFrom,
        };
        StateSnapshot? epoch4 = null;
        var callback = new RecordingCallback
        {
            EpochEnd = (c, _) =>
            {
                if (c.Epoch == stopAfter)
                {
                    c.RequestStop();
                }

                if (c.Epoch == 4)
                {
                    epoch4 = new StateSnapshot(c.Network);
                }
            },
        };
        using (TorchState.Enter(options.Seed, 1))
        {
            using var network = nn.Sequential(nn.Linear(TrainingData.Inputs, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, TrainingData.Classes));
            var history = new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data, validation, new TrainingHooks { Callbacks = [callback] });
            return (history, epoch4!, new StateSnapshot(network));
        }
    }

    private string WriteCheckpoint()
    {
        using var data = TrainingData.Make(32, 3);
        var options = new TestOptions { Epochs = 1, CheckpointDirectory = _directory };
        using var network = TrainingData.PreparedNetwork(options);
        new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data);
        return Path.Combine(_directory, Checkpoint.FileName(1));
    }

    private static void Resume(string path, nn.Module<Tensor, Tensor> network)
    {
        using var data = TrainingData.Make(32, 3);
        using (network)
        {
            new TrainingLoop(new TestOptions { Epochs = 2, ResumeFromCheckpoint = path }).Run(network, new CrossEntropyObjective(), data);
        }
    }
}
