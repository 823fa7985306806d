using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// The backbone of Tiny-YOLO (v2/v3, Darknet's <c>yolov3-tiny.cfg</c> trunk): one 3×3 convolution–batch
/// norm–leaky ReLU (slope 0.1) per entry of <see cref="Widths"/>, each of the first <see cref="Downsamplings"/>
/// followed by a 2×2 stride-2 max pool, so the last feature map is the input divided by 2^Downsamplings;
/// then, as a classifier, global average pooling and a linear head. As a detection backbone
/// (<see cref="YoloSpec.Backbone"/>) its last feature map feeds the grid. 8.7 M parameters with the
/// defaults at 1000 classes.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record TinyDarknetSpec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "tiny-darknet";

    /// <summary>Channels of each convolution, in order. Default <c>[16, 32, 64, 128, 256, 512, 1024]</c>; 1 to 12 entries, each in [1, 4096].</summary>
    public IReadOnlyList<int> Widths { get; init; } = [16, 32, 64, 128, 256, 512, 1024];

    /// <summary>How many of the first convolutions a 2×2 stride-2 max pool follows (the total stride is 2^this). Default 5; in [0, Widths.Count].</summary>
    public int Downsamplings { get; init; } = 5;

    /// <summary>The total stride: input pixels per cell of the last feature map.</summary>
    internal int Stride => 1 << Downsamplings;

    /// <inheritdoc />
    protected override int MinimumInputSize => Stride;

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(Widths is { Count: >= 1 and <= 12 }, Widths?.Count, $"{nameof(Widths)}.Count", "in [1, 12]");
        OptionCheck.Require(Widths!.All(w => w is >= 1 and <= 4096), string.Join(", ", Widths!), nameof(Widths), "entries in [1, 4096]");
        OptionCheck.Require(Downsamplings >= 0 && Downsamplings <= Widths!.Count, Downsamplings, nameof(Downsamplings), $"in [0, {Widths!.Count}] (the number of widths)");
        base.Validate();
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new TinyDarknet(this);
}
