namespace DeepLearning.Transforms.Serialization;

/// <summary>
/// Names a concrete network spec, output head or input adapter in saved models. A type with this
/// attribute, deriving from one of those bases in any loaded assembly, is found by its name when a
/// model is loaded; adding one is adding a class, not editing a list.
/// </summary>
/// <param name="name">The name written to the model manifest; unique per base type.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class RegisteredNameAttribute(string name) : Attribute
{
    /// <summary>The name written to the model manifest.</summary>
    public string Name { get; } = name;
}
