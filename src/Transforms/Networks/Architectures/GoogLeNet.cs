using DeepLearning.Transforms.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// GoogLeNet built from a <see cref="GoogLeNetSpec"/>, with torchvision's state_dict keys: stem
/// <c>conv1</c>, <c>conv2</c>, <c>conv3</c> (each a BasicConv2d: <c>conv</c> without bias, <c>bn</c> with
/// eps 0.001, ReLU), blocks <c>inception3a</c>…<c>inception5b</c> (<c>branch1.conv</c>,
/// <c>branch2.0</c>/<c>.1</c>, <c>branch3.0</c>/<c>.1</c>, <c>branch4.1</c> after a 3×3 max pool), optional
/// <c>aux1</c>/<c>aux2</c> (<c>conv</c>, <c>fc1</c>, <c>fc2</c>), head <c>fc</c>. The backbone ends with the
/// global average pool and dropout 0.2.
/// </summary>
public sealed class GoogLeNet : ImageClassifier
{
    private readonly Sequential conv1;
    private readonly Sequential conv2;
    private readonly Sequential conv3;
    private readonly Inception[] blocks;
    private readonly InceptionAux? aux1;
    private readonly InceptionAux? aux2;
    private readonly Dropout dropout;
    private readonly Linear fc;
    private readonly bool small;

    /// <summary>Builds and initialises the network.</summary>
    /// <param name="spec">The architecture; validated here.</param>
    public GoogLeNet(GoogLeNetSpec spec)
        : base(nameof(GoogLeNet))
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        small = spec.SmallInput;
        long C(long channels) => ConvLayers.Scale(channels, spec.WidthMultiplier);
        conv1 = small ? ConvLayers.BasicConv(spec.InputChannels, C(64), 3, padding: 1) : ConvLayers.BasicConv(spec.InputChannels, C(64), 7, stride: 2, padding: 3);
        conv2 = ConvLayers.BasicConv(C(64), C(64), 1);
        conv3 = ConvLayers.BasicConv(C(64), C(192), 3, padding: 1);
        var channels = C(192);
        blocks = new Inception[GoogLeNetSpec.Blocks.Count];
        for (var i = 0; i < blocks.Length; i++)
        {
            var b = GoogLeNetSpec.Blocks[i];
            blocks[i] = new Inception(channels, C(b.C1), C(b.C3Reduce), C(b.C3), C(b.C5Reduce), C(b.C5), C(b.PoolProjection), b.PoolAfter);
            channels = C(b.C1) + C(b.C3) + C(b.C5) + C(b.PoolProjection);
            if (spec.AuxiliaryHeads && b.Name is "inception4a" or "inception4d")
            {
                var aux = new InceptionAux(channels, spec.OutputSize, C(128), C(1024));
                (aux1, aux2) = b.Name == "inception4a" ? (aux, aux2) : (aux1, aux);
            }
        }

        dropout = nn.Dropout(0.2);
        FeatureSize = channels;
        fc = nn.Linear(channels, spec.OutputSize);
        RegisterComponents();
        for (var i = 0; i < blocks.Length; i++)
        {
            register_module(GoogLeNetSpec.Blocks[i].Name, blocks[i]);
        }

        ConvLayers.Initialize(this);
    }

    /// <summary>The architecture this network was built from.</summary>
    public GoogLeNetSpec Spec { get; }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Head => fc;

    /// <inheritdoc />
    public override long FeatureSize { get; }

    /// <inheritdoc />
    public override Tensor ForwardFeatures(Tensor input) => Trunk(input, auxiliary: false).Features;

    /// <summary>
    /// The main logits and, in training mode with <see cref="GoogLeNetSpec.AuxiliaryHeads"/>, the
    /// logits of the auxiliary classifiers (otherwise <see langword="null"/>).
    /// </summary>
    /// <param name="input">Images <c>[N, C, H, W]</c>.</param>
    public (Tensor Logits, Tensor? Auxiliary1, Tensor? Auxiliary2) ForwardWithAuxiliary(Tensor input)
    {
        var (features, a1, a2) = Trunk(input, auxiliary: training);
        using (features)
        {
            return (fc.call(features), a1, a2);
        }
    }

    private (Tensor Features, Tensor? Auxiliary1, Tensor? Auxiliary2) Trunk(Tensor input, bool auxiliary)
    {
        using var scope = NewDisposeScope();
        var x = conv1.call(input);
        if (!small)
        {
            x = nn.functional.max_pool2d(x, 3, stride: 2, ceil_mode: true);
        }

        x = conv3.call(conv2.call(x));
        if (!small)
        {
            x = nn.functional.max_pool2d(x, 3, stride: 2, ceil_mode: true);
        }

        Tensor? a1 = null, a2 = null;
        for (var i = 0; i < blocks.Length; i++)
        {
            x = blocks[i].call(x);
            var name = GoogLeNetSpec.Blocks[i].Name;
            if (auxiliary && name == "inception4a" && aux1 is not null)
            {
                a1 = aux1.call(x).MoveToOuterDisposeScope();
            }
            else if (auxiliary && name == "inception4d" && aux2 is not null)
            {
                a2 = aux2.call(x).MoveToOuterDisposeScope();
            }
        }

        var features = dropout.call(nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1));
        return (features.MoveToOuterDisposeScope(), a1, a2);
    }

    /// <inheritdoc />
    /// <remarks>The auxiliary heads only train, so the graph leaves them out; dropout is the identity.</remarks>
    private protected override string ExportFeaturesOnnx(OnnxNetworkExporter exporter, string input, string path)
    {
        string P(string name) => OnnxNetworkExporter.ChildPath(path, name);
        var x = exporter.Export(conv1, input, P("conv1"));
        if (!small)
        {
            x = OnnxBlocks.MaxPool(exporter.Builder, x, P("maxpool1"), 3, 2, ceilMode: true);
        }

        x = exporter.Export(conv3, exporter.Export(conv2, x, P("conv2")), P("conv3"));
        if (!small)
        {
            x = OnnxBlocks.MaxPool(exporter.Builder, x, P("maxpool2"), 3, 2, ceilMode: true);
        }

        for (var i = 0; i < blocks.Length; i++)
        {
            x = exporter.Export(blocks[i], x, P(GoogLeNetSpec.Blocks[i].Name));
        }

        return OnnxBlocks.GlobalAveragePoolFlatten(exporter.Builder, x, path);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            conv2.Dispose();
            conv3.Dispose();
            foreach (var block in blocks)
            {
                block.Dispose();
            }

            aux1?.Dispose();
            aux2?.Dispose();
            dropout.Dispose();
            fc.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>An inception block: four branches concatenated on channels, then an optional max pool.</summary>
    private sealed class Inception : nn.Module<Tensor, Tensor>, IOnnxExportable
    {
        private readonly Sequential branch1;
        private readonly Sequential branch2;
        private readonly Sequential branch3;
        private readonly Sequential branch4;
        private readonly int poolAfter;

        public Inception(long input, long c1, long c3Reduce, long c3, long c5Reduce, long c5, long poolProjection, int poolAfter)
            : base(nameof(Inception))
        {
            branch1 = ConvLayers.BasicConv(input, c1, 1);
            branch2 = nn.Sequential(ConvLayers.BasicConv(input, c3Reduce, 1), ConvLayers.BasicConv(c3Reduce, c3, 3, padding: 1));
            branch3 = nn.Sequential(ConvLayers.BasicConv(input, c5Reduce, 1), ConvLayers.BasicConv(c5Reduce, c5, 3, padding: 1));
            branch4 = nn.Sequential(nn.MaxPool2d(3, stride: 1, padding: 1, ceil_mode: true), ConvLayers.BasicConv(input, poolProjection, 1));
            this.poolAfter = poolAfter;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var y = torch.cat([branch1.call(input), branch2.call(input), branch3.call(input), branch4.call(input)], 1);
            if (poolAfter > 0)
            {
                y = nn.functional.max_pool2d(y, poolAfter, stride: 2, ceil_mode: true);
            }

            return y.MoveToOuterDisposeScope();
        }

        string IOnnxExportable.ExportOnnx(OnnxNetworkExporter exporter, string input, string path)
        {
            string[] branches = [.. new[] { branch1, branch2, branch3, branch4 }.Select((branch, i) => exporter.Export(branch, input, OnnxNetworkExporter.ChildPath(path, $"branch{i + 1}")))];
            var y = OnnxBlocks.ConcatChannels(exporter.Builder, branches, OnnxNetworkExporter.ChildPath(path, "concat"));
            return poolAfter > 0 ? OnnxBlocks.MaxPool(exporter.Builder, y, OnnxNetworkExporter.ChildPath(path, "pool"), poolAfter, 2, ceilMode: true) : y;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                branch1.Dispose();
                branch2.Dispose();
                branch3.Dispose();
                branch4.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>An auxiliary classifier: 4×4 average pool, 1×1 BasicConv <c>conv</c>, <c>fc1</c>, ReLU, dropout 0.7, <c>fc2</c>.</summary>
    private sealed class InceptionAux : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential conv;
        private readonly Linear fc1;
        private readonly Dropout dropout;
        private readonly Linear fc2;

        public InceptionAux(long input, long classes, long channels, long hidden)
            : base(nameof(InceptionAux))
        {
            conv = ConvLayers.BasicConv(input, channels, 1);
            fc1 = nn.Linear(channels * 16, hidden);
            dropout = nn.Dropout(0.7);
            fc2 = nn.Linear(hidden, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = conv.call(nn.functional.adaptive_avg_pool2d(input, [4, 4])).flatten(1);
            x = dropout.call(nn.functional.relu(fc1.call(x), inplace: true));
            return fc2.call(x).MoveToOuterDisposeScope();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                conv.Dispose();
                fc1.Dispose();
                dropout.Dispose();
                fc2.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
