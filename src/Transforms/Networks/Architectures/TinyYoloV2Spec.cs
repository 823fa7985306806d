using System.Text.Json.Serialization;
using DeepLearning.Transforms.Serialization;
using DeepLearning.Transforms.Validation;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// A depthwise-separable Tiny-YOLOv2 (the layout of face-api's TinyFaceDetector): a 3×3 'valid'
/// convolution with bias and leaky ReLU (slope 0.1), then one stage per further entry of
/// <see cref="Widths"/> [2×2 stride-2 max pool with TensorFlow 'same' padding → 3×3 depthwise
/// convolution (padding 1) → 1×1 pointwise convolution with bias → leaky ReLU], a 2×2 stride-1
/// 'same' max pool, and a 1×1 convolution to <see cref="AnchorCount"/> × (5 + <see cref="ClassScores"/>)
/// channels per grid cell: for each anchor <c>[tx, ty, tw, th, objectness, class scores…]</c>.
/// The network maps <c>[N, InputChannels, InputSize, InputSize]</c> to <c>[N, AnchorCount · (5 + ClassScores), Grid, Grid]</c>.
/// The defaults are the TinyFaceDetector (416 px, 13×13 grid, 5 anchors, one class).
/// </summary>
[RegisteredName(ArchitectureName)]
public sealed record TinyYoloV2Spec : NetworkSpec
{
    /// <summary>Architecture name used in saved models.</summary>
    public const string ArchitectureName = "tiny-yolov2";

    /// <summary>Values per anchor before the class scores: tx, ty, tw, th, objectness.</summary>
    internal const int BoxValues = 5;

    /// <summary>Side of the square input image in pixels. Default 416; a multiple of 32 in [64, 2048].</summary>
    public int InputSize { get; init; } = 416;

    /// <summary>Number of input channels. Default 3 (RGB); at least 1.</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>
    /// Output channels of the first convolution, then of each separable stage. Default
    /// <c>[16, 32, 64, 128, 256, 512]</c> (five stages); 2 to 8 entries, each in [1, 4096].
    /// </summary>
    public IReadOnlyList<int> Widths { get; init; } = [16, 32, 64, 128, 256, 512];

    /// <summary>Number of anchor boxes per grid cell. Default 5; in [1, 32].</summary>
    public int AnchorCount { get; init; } = 5;

    /// <summary>Class scores per anchor after the five box values. Default 0 (one class: the objectness is the score); in [0, 1000].</summary>
    public int ClassScores { get; init; }

    /// <summary>Values predicted per anchor: 5 + <see cref="ClassScores"/>.</summary>
    [JsonIgnore]
    public int BoxEncodingSize => BoxValues + ClassScores;

    /// <summary>Side of the output grid: the input after the 'valid' 3×3 convolution, halved (rounding up) once per stage.</summary>
    [JsonIgnore]
    public int Grid
    {
        get
        {
            var size = InputSize - 2;
            for (var stage = 1; stage < Widths.Count; stage++)
            {
                size = (size + 1) / 2;
            }

            return size;
        }
    }

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<long> InputShape => [InputChannels, InputSize, InputSize];

    /// <summary>Values output per image: <see cref="AnchorCount"/> · <see cref="BoxEncodingSize"/> · <see cref="Grid"/>². Derived; setting it has no effect.</summary>
    public override int OutputSize
    {
        get => AnchorCount * BoxEncodingSize * Grid * Grid;
        init { }
    }

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(InputSize is >= 64 and <= 2048 && InputSize % 32 == 0, InputSize, nameof(InputSize), "a multiple of 32 in [64, 2048]");
        OptionCheck.Require(InputChannels >= 1, InputChannels, nameof(InputChannels), "at least 1");
        OptionCheck.Require(Widths is { Count: >= 2 and <= 8 }, Widths?.Count, $"{nameof(Widths)}.Count", "in [2, 8]");
        OptionCheck.Require(Widths!.All(w => w is >= 1 and <= 4096), string.Join(", ", Widths!), nameof(Widths), "entries in [1, 4096]");
        OptionCheck.Require(AnchorCount is >= 1 and <= 32, AnchorCount, nameof(AnchorCount), "in [1, 32]");
        OptionCheck.Require(ClassScores is >= 0 and <= 1000, ClassScores, nameof(ClassScores), "in [0, 1000]");
    }

    /// <inheritdoc />
    public override nn.Module<Tensor, Tensor> Build() => TinyYoloV2.Build(this);
}
