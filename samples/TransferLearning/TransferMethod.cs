namespace DeepLearning.Samples.TransferLearning;

/// <summary>The three ways of learning the digits that the sample compares.</summary>
internal enum TransferMethod
{
    /// <summary>The small CNN trained from random weights on the digits alone.</summary>
    Scratch,

    /// <summary>The pretrained backbone as a frozen featurizer, then a linear ML.NET trainer (L-BFGS maximum entropy).</summary>
    FeaturizerLinear,

    /// <summary>The pretrained network fine-tuned on the digits, with a new last layer.</summary>
    FineTune,
}

/// <summary>Display names of <see cref="TransferMethod"/>.</summary>
internal static class TransferMethodNames
{
    /// <summary>The name shown in the table and the plot's legend.</summary>
    /// <param name="method">The method.</param>
    /// <returns>Its display name.</returns>
    public static string Name(this TransferMethod method) => method switch
    {
        TransferMethod.Scratch => "scratch",
        TransferMethod.FeaturizerLinear => "featurizer + linear",
        TransferMethod.FineTune => "fine-tune",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown method."),
    };
}
