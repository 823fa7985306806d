namespace DeepLearning.Transforms.Onnx;

/// <summary>
/// Builds an ONNX graph one node at a time. Networks describe their inference graph through this
/// interface, so they stay free of any converter's types; the library implements it over ML.NET's
/// ONNX converter. Every name it returns is unique in the graph being built.
/// </summary>
public interface IOnnxGraphBuilder
{
    /// <summary>Reserves a fresh variable name for a node output.</summary>
    /// <param name="prefix">Readable start of the name, e.g. the module path <c>layers.fc1</c>.</param>
    /// <returns>A name not yet used by any variable of the graph.</returns>
    string NewName(string prefix);

    /// <summary>Adds a node of the standard ONNX domain.</summary>
    /// <param name="opType">The operator, e.g. <c>Gemm</c>.</param>
    /// <param name="inputs">Names of the input variables, in the operator's order.</param>
    /// <param name="outputs">Names of the output variables, each from <see cref="NewName"/> or given by the caller.</param>
    /// <param name="attributes">The operator's attributes, if any.</param>
    void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<OnnxAttribute>? attributes = null);

    /// <summary>Adds a constant float tensor.</summary>
    /// <param name="prefix">Readable start of its name.</param>
    /// <param name="values">The values, row-major.</param>
    /// <param name="shape">Its shape; the product must equal the number of values (empty for a scalar).</param>
    /// <returns>The initializer's variable name.</returns>
    string AddInitializer(string prefix, float[] values, IReadOnlyList<long> shape);

    /// <summary>Adds a constant int64 tensor.</summary>
    /// <param name="prefix">Readable start of its name.</param>
    /// <param name="values">The values, row-major.</param>
    /// <param name="shape">Its shape; the product must equal the number of values (empty for a scalar).</param>
    /// <returns>The initializer's variable name.</returns>
    string AddInitializer(string prefix, long[] values, IReadOnlyList<long> shape);
}
