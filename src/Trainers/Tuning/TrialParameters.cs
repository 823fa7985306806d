using System.Globalization;
using System.Text.Json;
using DeepLearning.Trainers.Training;

namespace DeepLearning.Trainers.Tuning;

/// <summary>
/// The hyper-parameter values of one trial, by name: numbers (integers are whole numbers) and
/// categorical choices.
/// </summary>
public sealed class TrialParameters
{
    private readonly IReadOnlyDictionary<string, object> _values;

    internal TrialParameters(IReadOnlyDictionary<string, object> values, Trial? trial = null)
    {
        _values = values;
        Trial = trial;
    }

    /// <summary>The parameter names.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>The running trial these values belong to, when there is one (its progress and cancellation go to the trainer in <see cref="ApplyTo{TOptions}"/>).</summary>
    internal Trial? Trial { get; }

    /// <summary>A real or integer parameter as a <see cref="double"/>.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The value.</returns>
    public double GetDouble(string name) => Get(name) is double value ? value : throw WrongType(name, "a number");

    /// <summary>An integer parameter.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The value.</returns>
    public int GetInt(string name)
    {
        var value = GetDouble(name);
        return value == Math.Round(value) && value is >= int.MinValue and <= int.MaxValue ? (int)value : throw WrongType(name, "an integer");
    }

    /// <summary>A categorical parameter.</summary>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The value.</returns>
    public string GetString(string name) => Get(name) as string ?? throw WrongType(name, "a categorical choice");

    /// <summary>
    /// Copies the parameters named like a property of <paramref name="options"/> (numbers to
    /// <see cref="double"/> and <see cref="int"/> properties, choices to enum and string
    /// properties, e.g. <c>LearningRate</c>, <c>BatchSize</c>, <c>Optimizer</c>) and, inside a
    /// running trial, connects the trainer's <see cref="TrainingOptions.Progress"/> (each epoch
    /// reports an intermediate value) and <see cref="TrainingOptions.CancellationToken"/> (a
    /// pruned trial stops). Other parameters are left for the caller.
    /// </summary>
    /// <typeparam name="TOptions">The trainer's options.</typeparam>
    /// <param name="options">The options to fill.</param>
    /// <returns><paramref name="options"/>.</returns>
    public TOptions ApplyTo<TOptions>(TOptions options)
        where TOptions : TrainingOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, value) in _values)
        {
            var property = options.GetType().GetProperty(name);
            if (property is not { CanWrite: true })
            {
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object converted = type switch
            {
                _ when type == typeof(double) => GetDouble(name),
                _ when type == typeof(float) => (float)GetDouble(name),
                _ when type == typeof(int) => GetInt(name),
                _ when type.IsEnum => Enum.Parse(type, GetString(name), ignoreCase: true),
                _ when type == typeof(string) => GetString(name),
                _ => throw new ArgumentException($"Parameter '{name}' cannot set {property.DeclaringType?.Name}.{name} of type {type.Name}.", nameof(options)),
            };
            property.SetValue(options, converted);
        }

        if (Trial is not null)
        {
            options.Progress = Trial.Connect(options.Progress);
            options.CancellationToken = Trial.CancellationToken;
        }

        return options;
    }

    /// <summary>The values as <c>name=value</c> pairs.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
        => string.Join(", ", _values.Select(p => $"{p.Key}={Format(p.Value)}"));

    /// <summary>A value formatted for tables and CSV (numbers invariant, round-trippable).</summary>
    internal static string Format(object value)
        => value is double d ? d.ToString("G6", CultureInfo.InvariantCulture) : (string)value;

    /// <summary>The raw value (a <see cref="double"/> or a <see cref="string"/>).</summary>
    internal object Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _values.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"The trial has no parameter named '{name}'; it has: {string.Join(", ", _values.Keys)}.");
    }

    /// <summary>The values as a JSON object (numbers and strings).</summary>
    internal string ToJson()
    {
        var copy = _values.ToDictionary(p => p.Key, p => p.Value);
        return JsonSerializer.Serialize(copy);
    }

    /// <summary>Reads <see cref="ToJson"/>'s output.</summary>
    internal static TrialParameters FromJson(string json, Trial? trial = null)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, object>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetDouble();
        }

        return new TrialParameters(values, trial);
    }

    /// <summary>The same values outside any trial (no progress reporting, no cancellation).</summary>
    internal TrialParameters WithoutTrial() => new(_values);

    private InvalidCastException WrongType(string name, string expected)
        => new($"Parameter '{name}' = {Format(_values[name])} is not {expected}.");
}
