using Microsoft.ML.Data;

namespace DeepLearning.Trainers.Training.Sources;

/// <summary>
/// The seeded validation split shared by every batch source. A row is identified by its ML.NET row
/// id (<see cref="DataViewRowId"/>: its position in the source for loaders, in-memory views and rows
/// cached from tensors, unchanged by cursor shuffling), reduced to a 64-bit key
/// <c>low ⊕ mix(high)</c>. The row is held out for validation when
/// <c>mix(key ⊕ mix(seed + φ)) / 2⁶⁴ &lt; fraction</c>, where <c>mix</c> is the SplitMix64 finaliser.
/// The validation set is therefore about, not exactly, <c>fraction · N</c> rows, and the same rows
/// whichever source reads the data.
/// </summary>
internal static class RowSplit
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The 64-bit key of a row id.</summary>
    public static ulong Key(DataViewRowId id) => id.Low ^ Mix(id.High);

    /// <summary>Whether the row with <paramref name="key"/> is held out for validation.</summary>
    public static bool IsValidation(ulong key, int seed, double fraction)
        => (Mix(key ^ Mix(unchecked((ulong)seed + Golden))) >> 11) * (1.0 / (1UL << 53)) < fraction;

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
