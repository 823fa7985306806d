using System.Text.Json.Nodes;
using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Training;

/// <summary>
/// Options of the training loop shared by every trainer. Each property documents its default and
/// valid range; <see cref="Validate"/> throws an exception naming the option and its value.
/// </summary>
public abstract class TrainingOptions
{
    /// <summary>Number of passes over the training data. Default 10; at least 1.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Mini-batch size. Default 128; at least 1.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>
    /// Whether rows are reshuffled every epoch: each epoch's order derives from <see cref="Seed"/> and
    /// the epoch number (streamed data whose cursor cannot shuffle goes through a shuffle buffer).
    /// Default <see langword="true"/>.
    /// </summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>The optimiser. Default <see cref="OptimizerKind.Adam"/>.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>Initial learning rate. Default 0.001; greater than 0.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Momentum of <see cref="OptimizerKind.Momentum"/> and <see cref="OptimizerKind.Nesterov"/>. Default 0.9; in [0, 1).</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Adam's first-moment decay. Default 0.9; in [0, 1).</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Adam's second-moment decay, and RMSprop's smoothing constant. Default 0.999; in [0, 1).</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Term added to denominators of RMSprop and Adam. Default 1e-8; greater than 0.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>
    /// L2 regularisation strength λ: the loss gains (λ/2)·Σw², i.e. weight decay λ in the optimiser
    /// (decoupled for <see cref="OptimizerKind.AdamW"/>). Default 0; at least 0.
    /// </summary>
    public double L2Regularization { get; set; }

    /// <summary>Learning-rate schedule. Default <see langword="null"/>: constant rate.</summary>
    public LearningRateSchedule? LearningRateSchedule { get; set; }

    /// <summary>Clips the global L2 norm of gradients to this value. Default <see langword="null"/>: no clipping; otherwise greater than 0.</summary>
    public double? GradientClipNorm { get; set; }

    /// <summary>
    /// Fraction of the training rows held out for validation (early stopping, plateau schedule),
    /// used when no validation set is passed to <c>Fit</c>. Default 0: none; otherwise in (0, 1).
    /// </summary>
    public double ValidationFraction { get; set; }

    /// <summary>
    /// Stops after this many epochs without improvement of the validation loss and restores the
    /// best weights. Default <see langword="null"/>: no early stopping; otherwise at least 1.
    /// Needs a validation set or <see cref="ValidationFraction"/>.
    /// </summary>
    public int? EarlyStoppingPatience { get; set; }

    /// <summary>
    /// What early stopping watches and the best epoch is chosen by. Default
    /// <see cref="EarlyStoppingMonitor.ValidationLoss"/>. Validation loss can rise from growing
    /// over-confidence while accuracy still improves; watch the metric to select by accuracy.
    /// </summary>
    public EarlyStoppingMonitor EarlyStoppingMonitor { get; set; } = EarlyStoppingMonitor.ValidationLoss;

    /// <summary>Seed of initialisation, shuffling and dropout; equal seeds give equal models. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Torch's intra-op thread count during <c>Fit</c>: set (process-wide, under the lock that
    /// serialises fits) before the network is built and restored to its previous value when
    /// <c>Fit</c> returns. It does not affect scoring. Default <see langword="null"/>: leave torch's
    /// current setting; otherwise at least 1.
    /// </summary>
    public int? NumberOfThreads { get; set; }

    /// <summary>Torch device, e.g. <c>cpu</c> or <c>cuda</c> (needs a CUDA TorchSharp package). Default <c>cpu</c>.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// Directory to write a checkpoint into every <see cref="CheckpointFrequency"/> epochs
    /// (<c>checkpoint-epoch-NNNN.dlckpt</c>; created if missing). A checkpoint holds everything a
    /// resumed run needs to end with the same weights as an uninterrupted one. Default
    /// <see langword="null"/>: no checkpoints.
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Epochs between checkpoints when <see cref="CheckpointDirectory"/> is set. Default 1; at least 1.</summary>
    public int CheckpointFrequency { get; set; } = 1;

    /// <summary>
    /// A checkpoint file to resume from: training continues after the checkpoint's epoch with its
    /// weights, optimiser, schedule, random-number and early-stopping state and history. The
    /// network, data, seed and options must be those of the run that wrote it. Default
    /// <see langword="null"/>: start from the first epoch.
    /// </summary>
    public string? ResumeFromCheckpoint { get; set; }

    /// <summary>Receives the metrics of each epoch as it ends. Default <see langword="null"/>.</summary>
    public IProgress<EpochMetrics>? Progress { get; set; }

    /// <summary>Cancels training between mini-batches with <see cref="OperationCanceledException"/>. Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public virtual void Validate()
    {
        OptionCheck.Require(Epochs >= 1, Epochs, nameof(Epochs), "at least 1");
        OptionCheck.Require(BatchSize >= 1, BatchSize, nameof(BatchSize), "at least 1");
        OptionCheck.RequireDefined(Optimizer, nameof(Optimizer));
        OptionCheck.Require(LearningRate > 0 && double.IsFinite(LearningRate), LearningRate, nameof(LearningRate), "greater than 0 and finite");
        OptionCheck.Require(Momentum >= 0 && Momentum < 1, Momentum, nameof(Momentum), "in [0, 1)");
        OptionCheck.Require(Beta1 >= 0 && Beta1 < 1, Beta1, nameof(Beta1), "in [0, 1)");
        OptionCheck.Require(Beta2 >= 0 && Beta2 < 1, Beta2, nameof(Beta2), "in [0, 1)");
        OptionCheck.Require(Epsilon > 0 && double.IsFinite(Epsilon), Epsilon, nameof(Epsilon), "greater than 0 and finite");
        OptionCheck.Require(L2Regularization >= 0 && double.IsFinite(L2Regularization), L2Regularization, nameof(L2Regularization), "at least 0 and finite");
        OptionCheck.Require(GradientClipNorm is null || (GradientClipNorm > 0 && double.IsFinite(GradientClipNorm.Value)), GradientClipNorm, nameof(GradientClipNorm), "null or greater than 0");
        OptionCheck.Require(ValidationFraction == 0 || (ValidationFraction > 0 && ValidationFraction < 1), ValidationFraction, nameof(ValidationFraction), "0 or in (0, 1)");
        OptionCheck.Require(EarlyStoppingPatience is null || EarlyStoppingPatience >= 1, EarlyStoppingPatience, nameof(EarlyStoppingPatience), "null or at least 1");
        OptionCheck.RequireDefined(EarlyStoppingMonitor, nameof(EarlyStoppingMonitor));
        OptionCheck.Require(NumberOfThreads is null || NumberOfThreads >= 1, NumberOfThreads, nameof(NumberOfThreads), "null or at least 1");
        OptionCheck.Require(CheckpointFrequency >= 1, CheckpointFrequency, nameof(CheckpointFrequency), "at least 1");
        if (CheckpointDirectory is not null)
        {
            OptionCheck.RequireName(CheckpointDirectory, nameof(CheckpointDirectory));
        }

        if (ResumeFromCheckpoint is not null)
        {
            OptionCheck.RequireName(ResumeFromCheckpoint, nameof(ResumeFromCheckpoint));
        }

        OptionCheck.RequireName(Device, nameof(Device));
        ValidateDevice(Device);
        LearningRateSchedule?.Validate();
    }

    /// <summary>A shallow copy of these options (of the same derived type) with <paramref name="change"/> applied, for runs that differ in a few loop settings.</summary>
    /// <param name="change">Sets the settings that differ.</param>
    internal TrainingOptions With(Action<TrainingOptions> change)
    {
        var copy = (TrainingOptions)MemberwiseClone();
        change(copy);
        return copy;
    }

    /// <summary>The options that shape the result, as JSON for a model's training recipe (no paths, callbacks or tokens).</summary>
    internal JsonObject ToRecipe() => new()
    {
        ["epochs"] = Epochs,
        ["batchSize"] = BatchSize,
        ["shuffle"] = Shuffle,
        ["optimizer"] = Optimizer.ToString(),
        ["learningRate"] = LearningRate,
        ["momentum"] = Momentum,
        ["beta1"] = Beta1,
        ["beta2"] = Beta2,
        ["epsilon"] = Epsilon,
        ["l2Regularization"] = L2Regularization,
        ["learningRateSchedule"] = LearningRateSchedule?.GetType().Name,
        ["gradientClipNorm"] = GradientClipNorm,
        ["validationFraction"] = ValidationFraction,
        ["earlyStoppingPatience"] = EarlyStoppingPatience,
        ["earlyStoppingMonitor"] = EarlyStoppingMonitor.ToString(),
        ["seed"] = Seed,
    };

    private static void ValidateDevice(string device)
    {
        TorchSharp.torch.Device parsed;
        try
        {
            parsed = TorchSharp.torch.device(device);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"Option {nameof(Device)} = '{device}' is invalid: use 'cpu', 'cuda' or 'cuda:N'.", nameof(Device), e);
        }

        if (parsed.type == TorchSharp.DeviceType.CUDA && !TorchSharp.torch.cuda.is_available())
        {
            throw new ArgumentException($"Option {nameof(Device)} = '{device}' is invalid here: CUDA is not available (reference a CUDA build of TorchSharp and run on a machine with a GPU).", nameof(Device));
        }
    }
}
