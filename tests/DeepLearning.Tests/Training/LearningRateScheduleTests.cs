using DeepLearning.Trainers.Training;

namespace DeepLearning.Tests.Training;

public class LearningRateScheduleTests
{
    private const double Base = 0.1;

    private static double[] PerEpoch(LearningRateSchedule schedule, int epochs)
    {
        var scheduler = schedule.Start(Base, epochs, stepsPerEpoch: 3);
        var rates = new double[epochs];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            rates[epoch] = scheduler.Current;
            for (var step = 0; step < 3; step++)
            {
                Assert.Equal(rates[epoch], scheduler.Current);
                scheduler.OnStep();
            }

            scheduler.OnEpochEnd(null);
        }

        return rates;
    }

    private static double[] PerStep(LearningRateSchedule schedule, int epochs, int stepsPerEpoch)
    {
        var scheduler = schedule.Start(Base, epochs, stepsPerEpoch);
        var rates = new double[(epochs * stepsPerEpoch) + 1];
        for (var step = 0; step < rates.Length; step++)
        {
            rates[step] = scheduler.Current;
            scheduler.OnStep();
            if ((step + 1) % stepsPerEpoch == 0)
            {
                scheduler.OnEpochEnd(1.0);
            }
        }

        return rates;
    }

    [Fact]
    public void StepDecayDropsByGammaEveryStepEpochs()
    {
        var rates = PerEpoch(new StepDecaySchedule(stepEpochs: 2, gamma: 0.5), 6);
        Assert.Equal(Base, rates[0], 12);
        Assert.Equal(Base, rates[1], 12);
        Assert.Equal(Base * 0.5, rates[2], 12);
        Assert.Equal(Base * 0.5, rates[3], 12);
        Assert.Equal(Base * 0.25, rates[4], 12);
        Assert.Equal(Base * 0.25, rates[5], 12);
    }

    [Fact]
    public void ExponentialDecayIsGammaToTheEpoch()
    {
        var rates = PerEpoch(new ExponentialDecaySchedule(0.9), 5);
        for (var epoch = 0; epoch < rates.Length; epoch++)
        {
            Assert.Equal(Base * Math.Pow(0.9, epoch), rates[epoch], 12);
        }
    }

    [Fact]
    public void InverseTimeDecayFollowsTheFormula()
    {
        var rates = PerEpoch(new InverseTimeDecaySchedule(0.5), 5);
        for (var epoch = 0; epoch < rates.Length; epoch++)
        {
            Assert.Equal(Base / (1 + (0.5 * epoch)), rates[epoch], 12);
        }
    }

    [Fact]
    public void CosineAnnealingGoesFromBaseToMinimum()
    {
        const double min = 0.001;
        var rates = PerStep(new CosineAnnealingSchedule(min), epochs: 2, stepsPerEpoch: 5);
        Assert.Equal(Base, rates[0], 12);
        Assert.Equal((Base + min) / 2, rates[5], 12);
        Assert.Equal(min, rates[10], 12);
        Assert.Equal(min + ((Base - min) * (1 + Math.Cos(Math.PI * 3 / 10)) / 2), rates[3], 12);
        for (var step = 1; step < rates.Length; step++)
        {
            Assert.True(rates[step] < rates[step - 1]);
        }
    }

    [Fact]
    public void OneCycleWarmsUpToTheMaximumThenAnnealsToTheFinalRate()
    {
        const double max = 1.0;
        var schedule = new OneCycleSchedule(max, warmupFraction: 0.3, divFactor: 25, finalDivFactor: 1e4);
        var rates = PerStep(schedule, epochs: 2, stepsPerEpoch: 50);
        var initial = max / 25;
        var final = initial / 1e4;
        const double peak = 29; // 0.3 · 100 − 1, as PyTorch
        Assert.Equal(initial, rates[0], 12);
        Assert.Equal(max, rates[29], 12);
        Assert.Equal(final, rates[99], 12);
        Assert.Equal(max + ((initial - max) / 2 * (Math.Cos(Math.PI * 10 / peak) + 1)), rates[10], 12);
        Assert.Equal(final + ((max - final) / 2 * (Math.Cos(Math.PI * (60 - peak) / (99 - peak)) + 1)), rates[60], 12);
        Assert.Equal(max, rates.Max(), 12);
    }

    [Fact]
    public void OneCycleIgnoresTheBaseLearningRate()
    {
        var schedule = new OneCycleSchedule(0.5);
        Assert.Equal(schedule.Start(0.1, 1, 10).Current, schedule.Start(123, 1, 10).Current);
    }

    [Fact]
    public void ReduceOnPlateauReducesAfterPatienceEpochsWithoutImprovementAndNotBefore()
    {
        var scheduler = new ReduceOnPlateauSchedule(factor: 0.5, patience: 2).Start(Base, 10, 3);
        Assert.Equal(Base, scheduler.Current);
        scheduler.OnEpochEnd(1.0);
        scheduler.OnEpochEnd(0.9);
        Assert.Equal(Base, scheduler.Current);
        scheduler.OnEpochEnd(0.95); // 1 epoch without improvement
        Assert.Equal(Base, scheduler.Current);
        scheduler.OnEpochEnd(0.9); // equal is not an improvement: 2
        Assert.Equal(Base * 0.5, scheduler.Current, 12);
        scheduler.OnEpochEnd(null); // no validation: unchanged
        scheduler.OnStep();
        Assert.Equal(Base * 0.5, scheduler.Current, 12);
        scheduler.OnEpochEnd(0.96);
        Assert.Equal(Base * 0.5, scheduler.Current, 12);
        scheduler.OnEpochEnd(0.97);
        Assert.Equal(Base * 0.25, scheduler.Current, 12);
        scheduler.OnEpochEnd(0.5); // improvement resets the count
        scheduler.OnEpochEnd(0.6);
        Assert.Equal(Base * 0.25, scheduler.Current, 12);
    }

    [Fact]
    public void ReduceOnPlateauRespectsTheMinimum()
    {
        var scheduler = new ReduceOnPlateauSchedule(factor: 0.1, patience: 1, minLearningRate: 0.05).Start(Base, 10, 3);
        scheduler.OnEpochEnd(1.0);
        scheduler.OnEpochEnd(1.0);
        Assert.Equal(0.05, scheduler.Current, 12);
        scheduler.OnEpochEnd(1.0);
        Assert.Equal(0.05, scheduler.Current, 12);
    }

    public static TheoryData<Func<LearningRateSchedule>, string> InvalidSchedules => new()
    {
        { () => new StepDecaySchedule(0), "StepEpochs" },
        { () => new StepDecaySchedule(2, 0), "Gamma" },
        { () => new StepDecaySchedule(2, 1.5), "Gamma" },
        { () => new ExponentialDecaySchedule(0), "Gamma" },
        { () => new ExponentialDecaySchedule(double.NaN), "Gamma" },
        { () => new InverseTimeDecaySchedule(-1), "DecayRate" },
        { () => new CosineAnnealingSchedule(-0.1), "MinLearningRate" },
        { () => new OneCycleSchedule(0), "MaxLearningRate" },
        { () => new OneCycleSchedule(1, warmupFraction: 1), "WarmupFraction" },
        { () => new OneCycleSchedule(1, divFactor: 0), "DivFactor" },
        { () => new OneCycleSchedule(1, finalDivFactor: -1), "FinalDivFactor" },
        { () => new ReduceOnPlateauSchedule(factor: 1), "Factor" },
        { () => new ReduceOnPlateauSchedule(patience: 0), "Patience" },
        { () => new ReduceOnPlateauSchedule(minLearningRate: -1), "MinLearningRate" },
    };

    [Theory]
    [MemberData(nameof(InvalidSchedules))]
    public void InvalidOptionsThrowNamingTheOption(Func<LearningRateSchedule> create, string option)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => create());
        Assert.Equal(option, exception.ParamName);
        Assert.Contains(option, exception.Message);
    }

    public static TheoryData<Func<LearningRateSchedule>> AllSchedules => new()
    {
        () => new StepDecaySchedule(2, 0.5),
        () => new ExponentialDecaySchedule(0.9),
        () => new InverseTimeDecaySchedule(0.5),
        () => new CosineAnnealingSchedule(0.001),
        () => new OneCycleSchedule(1.0),
        () => new ReduceOnPlateauSchedule(0.5, patience: 1),
    };

    [Theory]
    [MemberData(nameof(AllSchedules))]
    public void ARestoredSchedulerContinuesExactly(Func<LearningRateSchedule> create)
    {
        // Validation losses that plateau, so reduce-on-plateau changes the rate too.
        double[] losses = [1.0, 0.8, 0.9, 0.95, 0.7, 0.75, 0.8, 0.85];
        static void Epoch(ILearningRateScheduler scheduler, double loss, List<double> rates)
        {
            for (var step = 0; step < 3; step++)
            {
                rates.Add(scheduler.Current);
                scheduler.OnStep();
            }

            scheduler.OnEpochEnd(loss);
        }

        var whole = create().Start(Base, losses.Length, 3);
        var expected = new List<double>();
        foreach (var loss in losses)
        {
            Epoch(whole, loss, expected);
        }

        var first = create().Start(Base, losses.Length, 3);
        var actual = new List<double>();
        foreach (var loss in losses.Take(4))
        {
            Epoch(first, loss, actual);
        }

        var resumed = create().Start(Base, losses.Length, 3);
        resumed.RestoreState(first.SaveState());
        foreach (var loss in losses.Skip(4))
        {
            Epoch(resumed, loss, actual);
        }

        Assert.Equal(expected, actual);
        Assert.True(expected.Distinct().Count() > 1, "the schedule never changed the rate");
    }

    [Fact]
    public void AStateOfAnotherScheduleIsRejected()
    {
        var cosine = new CosineAnnealingSchedule().Start(Base, 2, 3);
        var plateau = new ReduceOnPlateauSchedule().Start(Base, 2, 3);
        Assert.Throws<InvalidDataException>(() => cosine.RestoreState(plateau.SaveState()));
    }

    [Fact]
    public void TheLoopReportsTheScheduledRatePerEpoch()
    {
        using var data = TrainingData.Make(64, 3);
        var options = new TestOptions
        {
            Optimizer = OptimizerKind.Sgd,
            LearningRate = 0.1,
            Epochs = 4,
            LearningRateSchedule = new StepDecaySchedule(2, 0.5),
        };
        using var network = TrainingData.PreparedNetwork(options);
        var history = new TrainingLoop(options).Run(network, new CrossEntropyObjective(), data);
        Assert.Equal([0.1, 0.1, 0.05, 0.05], history.Select(e => e.LearningRate));
    }
}
