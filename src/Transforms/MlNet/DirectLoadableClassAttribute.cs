using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace DeepLearning.Transforms.MlNet;

/// <summary>
/// Registers a model loader with ML.NET's component catalog like <c>[LoadableClass]</c>, but so that
/// ML.NET calls it directly instead of through <see cref="MethodBase.Invoke(object?, object?[])"/>:
/// the catalog looks up a static <c>Create(IHostEnvironment, ModelLoadContext)</c> on the loader
/// type, and here that lookup answers a <see cref="MethodInfo"/> whose <c>Invoke</c> calls a delegate.
/// An exception of the loader (e.g. "entry weights.bin was modified") then reaches the caller as
/// itself, not wrapped in a <see cref="TargetInvocationException"/> whose message names nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class DirectLoadableClassAttribute : LoadableClassAttributeBase
{
    /// <summary>Registers <paramref name="loaderType"/>'s <c>Create(IHostEnvironment, ModelLoadContext)</c> as the loader of <paramref name="instanceType"/>.</summary>
    /// <param name="instanceType">The type the loader returns.</param>
    /// <param name="loaderType">The static class with the <c>Create</c> method.</param>
    /// <param name="userName">A display name.</param>
    /// <param name="loaderSignature">The loader signature saved in the model header.</param>
    public DirectLoadableClassAttribute(Type instanceType, Type loaderType, string userName, string loaderSignature)
        : base(null, instanceType, loaderType, null, [typeof(SignatureLoadModel)], userName, loaderSignature)
    {
        var create = loaderType.GetMethod("Create", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(IHostEnvironment), typeof(ModelLoadContext)])
            ?? throw new ArgumentException($"{loaderType.Name} has no static Create(IHostEnvironment, ModelLoadContext).", nameof(loaderType));
        var call = create.CreateDelegate<Func<IHostEnvironment, ModelLoadContext, object>>();
        var loader = new DirectLoaderType(loaderType);
        loader.Create = new DirectCreateMethod(loader, create, call);
        typeof(LoadableClassAttributeBase).GetProperty(nameof(LoaderType))!.SetValue(this, loader);
    }

    /// <summary>The loader type as the catalog sees it: every member from the real type, but <c>Create</c> is <see cref="DirectCreateMethod"/>.</summary>
    private sealed class DirectLoaderType(Type real) : TypeDelegator(real)
    {
        public MethodInfo? Create { get; set; }

        protected override MethodInfo? GetMethodImpl(string name, BindingFlags bindingAttr, Binder? binder, CallingConventions callConvention, Type[]? types, ParameterModifier[]? modifiers)
            => name == "Create" && types is [var env, var ctx] && env == typeof(IHostEnvironment) && ctx == typeof(ModelLoadContext)
                ? Create
                : base.GetMethodImpl(name, bindingAttr, binder, callConvention, types, modifiers);

        public override bool Equals(Type? o) => ReferenceEquals(o, this) || base.Equals(o);

        public override int GetHashCode() => base.GetHashCode();
    }

    /// <summary>A <see cref="MethodInfo"/> describing the real <c>Create</c>, whose invocation calls a delegate and so never wraps exceptions.</summary>
    private sealed class DirectCreateMethod(Type declaringType, MethodInfo real, Func<IHostEnvironment, ModelLoadContext, object> call) : MethodInfo
    {
        public override Type? DeclaringType => declaringType;

        public override Type? ReflectedType => declaringType;

        public override string Name => real.Name;

        public override Type ReturnType => real.ReturnType;

        public override MethodAttributes Attributes => real.Attributes;

        public override RuntimeMethodHandle MethodHandle => real.MethodHandle;

        public override ICustomAttributeProvider ReturnTypeCustomAttributes => real.ReturnTypeCustomAttributes;

        public override MethodInfo GetBaseDefinition() => this;

        public override ParameterInfo[] GetParameters() => real.GetParameters();

        public override MethodImplAttributes GetMethodImplementationFlags() => real.GetMethodImplementationFlags();

        public override object? Invoke(object? obj, BindingFlags invokeAttr, Binder? binder, object?[]? parameters, CultureInfo? culture)
            => parameters is [IHostEnvironment env, ModelLoadContext ctx]
                ? call(env, ctx)
                : throw new ArgumentException("Expected (IHostEnvironment, ModelLoadContext).", nameof(parameters));

        public override object[] GetCustomAttributes(bool inherit) => real.GetCustomAttributes(inherit);

        public override object[] GetCustomAttributes(Type attributeType, bool inherit) => real.GetCustomAttributes(attributeType, inherit);

        public override bool IsDefined(Type attributeType, bool inherit) => real.IsDefined(attributeType, inherit);
    }
}
