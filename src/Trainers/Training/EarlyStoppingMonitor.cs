namespace DeepLearning.Trainers.Training;

/// <summary>What early stopping watches on the validation set.</summary>
public enum EarlyStoppingMonitor
{
    /// <summary>The validation loss (lower is better).</summary>
    ValidationLoss,

    /// <summary>The objective's validation metric, e.g. accuracy (higher is better) or RMSE (lower is better).</summary>
    ValidationMetric,
}
