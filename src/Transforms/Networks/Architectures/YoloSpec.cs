using System.Text.Json.Serialization;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// A YOLO detector (YOLOv2's single-scale grid × anchors) on any backbone of the zoo: the backbone's last
/// feature map (stride s) → an optional 3×3 convolution–batch norm–leaky ReLU of <see cref="HeadWidth"/>
/// channels → a 1×1 convolution to <see cref="AnchorCount"/> × (5 + classes) channels per cell, for each
/// anchor <c>[tx, ty, tw, th, objectness, class scores…]</c>. Input <c>[C, H, W]</c> gives a
/// <c>⌈H/s⌉ × ⌈W/s⌉</c>-cell grid (as the backbone rounds). The network outputs <c>[N, A · (5 + classes), Gh, Gw]</c>;
/// <see cref="ImageNetworkSpec.OutputSize"/> is its number of values per image, set from the data by the trainer.
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record YoloSpec : ImageNetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "yolo";

    /// <summary>
    /// The backbone: any classifier of the zoo whose last feature map a grid can read (its input size and
    /// classes are replaced). Default: a Tiny-YOLO trunk of stride 16,
    /// <c>new TinyDarknetSpec { Widths = [16, 32, 64, 128, 256], Downsamplings = 4 }</c>.
    /// </summary>
    [JsonConverter(typeof(NamedTypeJsonConverter<ImageNetworkSpec>))]
    public ImageNetworkSpec Backbone { get; init; } = new TinyDarknetSpec { Widths = [16, 32, 64, 128, 256], Downsamplings = 4 };

    /// <summary>Anchor boxes per grid cell (the task chooses their sizes, by k-means on the training boxes unless given). Default 5; in [1, 32].</summary>
    public int AnchorCount { get; init; } = 5;

    /// <summary>Channels of the 3×3 convolution between the backbone and the prediction layer; 0 leaves it out. Default 128; in [0, 4096].</summary>
    public int HeadWidth { get; init; } = 128;

    /// <inheritdoc />
    protected override int MinimumInputSize => 1;

    /// <inheritdoc />
    public override void Validate()
    {
        ArgumentNullException.ThrowIfNull(Backbone, nameof(Backbone));
        OptionCheck.Require(Backbone is not YoloSpec, Backbone.GetType().Name, nameof(Backbone), "a classifier of the zoo, not another detector");
        OptionCheck.Require(AnchorCount is >= 1 and <= 32, AnchorCount, nameof(AnchorCount), "in [1, 32]");
        OptionCheck.Require(HeadWidth is >= 0 and <= 4096, HeadWidth, nameof(HeadWidth), "in [0, 4096]");
        base.Validate();
        BackboneSpec().Validate();
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => new Yolo(this);

    /// <summary>
    /// The grid this network has for its input size, and the backbone's channels there, found by running the
    /// backbone once on a zero image.
    /// </summary>
    /// <exception cref="NotSupportedException">The backbone has no last feature map to read.</exception>
    public (int Height, int Width) Grid()
    {
        Validate();
        using var backbone = Yolo.BuildBackbone(this);
        var (height, width, _) = Yolo.Probe(backbone, this);
        return (height, width);
    }

    /// <summary>The backbone's spec at this network's input size (its class count is irrelevant and set to 1).</summary>
    internal ImageNetworkSpec BackboneSpec() => Backbone with { InputChannels = InputChannels, InputHeight = InputHeight, InputWidth = InputWidth, OutputSize = 1 };
}
