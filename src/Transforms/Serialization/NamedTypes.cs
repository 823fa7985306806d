using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DeepLearning.Transforms.Serialization;

/// <summary>
/// Writes and reads objects of an open family (network specs, heads, input adapters) as JSON
/// objects with a <c>type</c> property holding the <see cref="RegisteredNameAttribute"/> name of
/// the concrete class. Types are found in the loaded assemblies that reference this one.
/// </summary>
internal static class NamedTypes
{
    /// <summary>The JSON property holding the registered name.</summary>
    public const string TypeProperty = "type";

    /// <summary>The serializer options of every manifest object.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    // A memo of the assemblies scanned: (base type, name) → concrete type. Filled on a miss.
    private static readonly ConcurrentDictionary<(Type Base, string Name), Type> Found = new();

    /// <summary>The registered name of <paramref name="type"/>.</summary>
    /// <exception cref="InvalidOperationException">The type has no <see cref="RegisteredNameAttribute"/>.</exception>
    public static string NameOf(Type type)
        => type.GetCustomAttribute<RegisteredNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{type.FullName} cannot be saved: it has no [{nameof(RegisteredNameAttribute)}].");

    /// <summary>Serializes <paramref name="value"/> with its <c>type</c> name.</summary>
    public static JsonObject Write<TBase>(TBase value)
        where TBase : class
    {
        ArgumentNullException.ThrowIfNull(value);
        var type = value.GetType();
        var node = JsonSerializer.SerializeToNode(value, type, Json) as JsonObject
            ?? throw new InvalidOperationException($"{type.Name} did not serialize to a JSON object.");
        var result = new JsonObject { [TypeProperty] = NameOf(type) };
        foreach (var (key, child) in node.ToList())
        {
            node.Remove(key);
            result[key] = child;
        }

        return result;
    }

    /// <summary>Reads an object written by <see cref="Write{TBase}"/>.</summary>
    /// <param name="node">The JSON object.</param>
    /// <param name="what">What is read, for error messages, e.g. <c>output head</c>.</param>
    /// <exception cref="FormatException">The object has no known <c>type</c> or does not parse.</exception>
    public static TBase Read<TBase>(JsonNode? node, string what)
        where TBase : class
    {
        if (node is not JsonObject obj || obj[TypeProperty]?.GetValueKind() != JsonValueKind.String)
        {
            throw new FormatException($"The {what} in the model manifest has no '{TypeProperty}' name.");
        }

        var name = obj[TypeProperty]!.GetValue<string>();
        var type = Resolve(typeof(TBase), name)
            ?? throw new FormatException($"The {what} '{name}' in the model manifest is unknown here: reference the assembly that defines it (known: {string.Join(", ", Known(typeof(TBase)))}).");
        var copy = obj.DeepClone().AsObject();
        copy.Remove(TypeProperty);
        try
        {
            return (TBase)(copy.Deserialize(type, Json) ?? throw new FormatException($"The {what} '{name}' in the model manifest is empty."));
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"The {what} '{name}' in the model manifest is not valid: {e.Message}", e);
        }
    }

    private static Type? Resolve(Type baseType, string name)
    {
        if (Found.TryGetValue((baseType, name), out var type))
        {
            return type;
        }

        foreach (var candidate in Candidates(baseType))
        {
            Found.TryAdd((baseType, NameOf(candidate)), candidate);
        }

        return Found.TryGetValue((baseType, name), out type) ? type : null;
    }

    private static IEnumerable<string> Known(Type baseType) => Candidates(baseType).Select(NameOf).Order();

    private static IEnumerable<Type> Candidates(Type baseType)
    {
        var home = typeof(NamedTypes).Assembly.GetName().Name;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || (assembly != typeof(NamedTypes).Assembly && !assembly.GetReferencedAssemblies().Any(a => a.Name == home)))
            {
                continue;
            }

            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types.Where(t => t is not null).ToArray()!;
            }

            foreach (var type in types)
            {
                if (!type.IsAbstract && baseType.IsAssignableFrom(type) && type.GetCustomAttribute<RegisteredNameAttribute>() is not null)
                {
                    yield return type;
                }
            }
        }
    }
}
