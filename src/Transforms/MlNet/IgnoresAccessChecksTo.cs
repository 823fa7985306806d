// ML.NET keeps the members needed to save and load external transformers internal
// (ModelSaveContext, ModelLoadContext, VersionInfo, LoadableClassAttribute). The runtime
// honours this attribute: it lets this assembly use those members of the named assemblies.
// Every use of ML.NET internals lives in this folder (src/Transforms/MlNet/).
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices
{
    /// <summary>Lets this assembly access non-public members of the named assembly at run time.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class IgnoresAccessChecksToAttribute : Attribute
    {
        /// <summary>Creates the attribute for <paramref name="assemblyName"/>.</summary>
        /// <param name="assemblyName">Simple name of the assembly whose internals are used.</param>
        public IgnoresAccessChecksToAttribute(string assemblyName) => AssemblyName = assemblyName;

        /// <summary>Simple name of the assembly whose internals are used.</summary>
        public string AssemblyName { get; }
    }
}
