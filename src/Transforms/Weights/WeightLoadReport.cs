namespace DeepLearning.Transforms.Weights;

/// <summary>What <see cref="PretrainedWeights"/> copied into a network and what it could not.</summary>
/// <param name="Loaded">Network keys that received a weight.</param>
/// <param name="Missing">Network keys with no weight (left as they were).</param>
/// <param name="Unexpected">Weight keys (after renaming) the network does not have.</param>
/// <param name="Mismatched">Keys present on both sides with different shapes (not copied).</param>
/// <param name="Skipped">Network keys left alone because of <see cref="WeightLoadOptions.SkipPrefixes"/>.</param>
public sealed record WeightLoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> Mismatched,
    IReadOnlyList<string> Skipped)
{
    /// <summary>Whether every network key outside the skipped prefixes received a weight and every weight was used.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>A one-line summary with the first few keys of each kind.</summary>
    public override string ToString()
        => $"{Loaded.Count} loaded, {Missing.Count} missing{Few(Missing)}, {Unexpected.Count} unexpected{Few(Unexpected)}, " +
           $"{Mismatched.Count} with other shapes{Few(Mismatched.Select(m => m.ToString()).ToList())}, {Skipped.Count} skipped";

    private static string Few(IReadOnlyList<string> keys)
        => keys.Count == 0 ? string.Empty : $" ({string.Join(", ", keys.Take(5))}{(keys.Count > 5 ? ", …" : string.Empty)})";
}

/// <summary>A key whose weight and network tensor differ in shape.</summary>
/// <param name="Key">The network key.</param>
/// <param name="NetworkShape">The network tensor's shape.</param>
/// <param name="WeightShape">The weight's shape.</param>
public sealed record ShapeMismatch(string Key, IReadOnlyList<long> NetworkShape, IReadOnlyList<long> WeightShape)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}: network [{string.Join(", ", NetworkShape)}], weight [{string.Join(", ", WeightShape)}]";
}
