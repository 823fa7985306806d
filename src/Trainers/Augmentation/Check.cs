using System.Globalization;
using DeepLearning.Transforms.Validation;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>Option checks of augmentation steps: names are <c>Step.Option</c>.</summary>
internal static class Check
{
    /// <summary>Requires <paramref name="value"/> in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static void Range(double value, double low, double high, object step, string name)
        => OptionCheck.Require(value >= low && value <= high, value, Name(step, name), string.Create(CultureInfo.InvariantCulture, $"in [{low}, {high}]"));

    /// <summary>Requires <paramref name="low"/> ≤ <paramref name="high"/>, both in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void Interval(double low, double high, double min, double max, object step, string lowName, string highName)
    {
        Range(low, min, max, step, lowName);
        Range(high, min, max, step, highName);
        OptionCheck.Require(high >= low, high, Name(step, highName), string.Create(CultureInfo.InvariantCulture, $"at least {lowName} = {low}"));
    }

    /// <summary>Requires a finite <paramref name="value"/>.</summary>
    public static void Finite(double value, object step, string name)
        => OptionCheck.Require(double.IsFinite(value), value, Name(step, name), "a finite number");

    private static string Name(object step, string name) => step.GetType().Name + "." + name;
}
