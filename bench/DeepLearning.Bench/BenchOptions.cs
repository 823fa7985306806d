using DeepLearning.Transforms.Data;

namespace DeepLearning.Bench;

/// <summary>Options shared by all benchmark modes.</summary>
/// <param name="RequestedEpochs">The number of training epochs given with <c>--epochs</c>, or <see langword="null"/> for the mode's default.</param>
/// <param name="DataDirectory">Where the Fashion-MNIST IDX files are.</param>
/// <param name="EarlyStopping">Pipeline modes: hold out 10% and stop after 3 epochs without improvement (<c>--early-stopping</c>).</param>
/// <param name="Cosine">Pipeline modes: anneal the learning rate to 0 with a cosine schedule over the run (<c>--cosine</c>).</param>
/// <param name="Architecture">cnn mode: the network (<c>--arch small-cnn|lenet5|resnet20|resnet32|resnet44|resnet56</c>).</param>
/// <param name="Width">cnn mode: the small CNN's width multiplier (<c>--width</c>; default 1: 32 and 64 maps, 128 hidden units).</param>
/// <param name="Augment">cnn mode: random crop (padding 2) and horizontal flip per training sample (<c>--augment</c>).</param>
/// <param name="FlipOnly">cnn mode: horizontal flip per training sample, without the crop (<c>--flip</c>).</param>
/// <param name="Erase">cnn mode: random erasing (probability 0.5, 2–33% of the area, pixels set to 0) per training sample, after the other steps (<c>--erase</c>).</param>
/// <param name="Shapes">yolo mode: scenes of geometric shapes instead of Fashion-MNIST items (<c>--shapes</c>).</param>
/// <param name="Pretrain">yolo mode: pretrain the backbone as a classifier of single items first (<c>--pretrain</c>).</param>
/// <param name="SavePath">yolo mode: where to save the trained model's zip (<c>--save</c>), or <see langword="null"/>.</param>
/// <param name="LoadPath">yolo mode: score the model saved at this path instead of training one (<c>--load</c>), or <see langword="null"/>.</param>
/// <param name="SceneSize">yolo mode: side of the generated scenes in pixels (<c>--size</c>, 64 to 128; default 96).</param>
/// <param name="BatchSize">cnn mode: training images per step (<c>--batch</c>; default 128).</param>
/// <param name="Optimizer">cnn mode: <c>adam</c> (default), <c>adamw</c> or <c>nesterov</c> (<c>--optimizer</c>).</param>
/// <param name="LearningRate">cnn mode: the base learning rate (<c>--lr</c>), or <see langword="null"/> for the optimiser's default (Adam 1e-3, Nesterov 0.1).</param>
/// <param name="WeightDecay">cnn mode: L2 weight decay (<c>--weight-decay</c>); default 0.</param>
/// <param name="LabelSmoothing">cnn mode: label smoothing of the cross-entropy (<c>--label-smoothing</c>); default 0.</param>
/// <param name="Peer">cnn mode: run bench/pytorch/cnn.py in lockstep, one of its epochs after each of ours and its inference passes between ours (<c>--peer</c>).</param>
/// <param name="PeerEpochs">cnn mode with <c>--peer</c>: the peer trains only this many of the epochs (<c>--peer-epochs</c>; its schedule still spans the whole run), or <see langword="null"/> for all.</param>
/// <param name="CheckpointDirectory">cnn and yolo modes: write a training checkpoint into this folder after every epoch and, when it already holds some, resume after the latest (<c>--checkpoint DIR</c>): a long run survives a restart. yolo mode with <c>--pretrain</c> keeps the pretrained backbone there too.</param>
/// <param name="ScoreThreshold">yolo mode: held-out detections scoring below this are dropped (<c>--score-threshold</c>; default 0.01).</param>
/// <param name="NmsIou">yolo mode: held-out NMS drops a detection overlapping a better one of its class with IoU above this (<c>--nms-iou</c>; default 0.45, the detector's default).</param>
/// <param name="Validate">cnn mode: score the test set after every epoch (the loop's validation pass, inside the epoch's seconds); <c>--no-validation</c> scores it once at the end.</param>
internal sealed record BenchOptions(
    int? RequestedEpochs = null,
    string DataDirectory = IdxDataset.DefaultDirectory,
    bool EarlyStopping = false,
    bool Cosine = false,
    string Architecture = "small-cnn",
    double Width = 1,
    bool Augment = false,
    bool FlipOnly = false,
    bool Erase = false,
    bool Shapes = false,
    bool Pretrain = false,
    string? SavePath = null,
    string? LoadPath = null,
    int SceneSize = 96,
    int BatchSize = 128,
    string Optimizer = "adam",
    double? LearningRate = null,
    double WeightDecay = 0,
    double LabelSmoothing = 0,
    bool Validate = true,
    bool Peer = false,
    int? PeerEpochs = null,
    string? CheckpointDirectory = null,
    double ScoreThreshold = 0.01,
    double NmsIou = 0.45)
{
    /// <summary>The default number of epochs of most modes.</summary>
    public const int DefaultEpochs = 5;

    /// <summary>The number of training epochs: <see cref="RequestedEpochs"/> or <see cref="DefaultEpochs"/>.</summary>
    public int Epochs => RequestedEpochs ?? DefaultEpochs;

    /// <summary>The latest checkpoint in <see cref="CheckpointDirectory"/> (file names carry the epoch, zero-padded), or <see langword="null"/>.</summary>
    public string? LatestCheckpoint => CheckpointDirectory is { } directory && Directory.Exists(directory)
        ? Directory.GetFiles(directory, "checkpoint-epoch-*.dlckpt").Order(StringComparer.Ordinal).LastOrDefault()
        : null;
}
