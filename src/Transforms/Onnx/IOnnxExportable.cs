namespace DeepLearning.Transforms.Onnx;

/// <summary>
/// A module with its own <c>forward</c> that describes its inference graph in ONNX. The
/// <see cref="OnnxNetworkExporter"/> asks such a module first; standard layers and <c>Sequential</c>
/// need not implement it.
/// </summary>
public interface IOnnxExportable
{
    /// <summary>Emits the module's inference-mode forward pass.</summary>
    /// <param name="exporter">The exporter: its <see cref="OnnxNetworkExporter.Builder"/> adds nodes, its <see cref="OnnxNetworkExporter.Export"/> emits submodules.</param>
    /// <param name="input">Name of the variable holding the module's input.</param>
    /// <param name="path">Dotted path of this module in the network (empty for the root), for names and messages.</param>
    /// <returns>Name of the variable holding the module's output.</returns>
    string ExportOnnx(OnnxNetworkExporter exporter, string input, string path);
}
