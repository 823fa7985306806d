using DeepLearning.Transforms.Inputs.Images;
using DeepLearning.Transforms.Networks.Architectures;
using DeepLearning.Transforms.Weights;
using Microsoft.ML.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Detection;

/// <summary>
/// The pretrained face detector of the npm package <c>@vladmandic/face-api</c> (MIT): its
/// TinyFaceDetector, a depthwise-separable Tiny-YOLOv2 (<see cref="TinyYoloV2Spec"/>), loaded from the
/// package's TF.js weights (<c>model/tiny_face_detector_model-weights_manifest.json</c> and its
/// <c>.bin</c>) and run as face-api runs it: the image is padded with zeros to a square at the
/// bottom or right, resized to <see cref="FaceDetectorOptions.InputSize"/> with TensorFlow's bilinear
/// rule, centred on the training set's mean colour and divided by 255; the grid is decoded with the
/// package's five anchors, candidates above the score threshold go through greedy NMS, and the boxes
/// are mapped back to the original image's pixels. Nothing is downloaded.
/// </summary>
public sealed class FaceDetector : IDisposable
{
    // face-api's BOX_ANCHORS (width, height in grid cells) and MEAN_RGB.
    private static readonly float[] Anchors = [1.603231f, 2.094468f, 6.041143f, 7.080126f, 2.882459f, 3.518061f, 4.266906f, 5.178857f, 9.041765f, 10.66308f];
    private static readonly float[] MeanRgb = [117.001f, 114.697f, 97.404f];
    private const float PixelScale = 255;

    private readonly Sequential network;

    private FaceDetector(Sequential network, FaceDetectorOptions options)
    {
        this.network = network;
        Options = options;
    }

    /// <summary>The options the detector runs with.</summary>
    public FaceDetectorOptions Options { get; }

    /// <summary>The network (eval mode), mapping normalised images <c>[N, 3, S, S]</c> to the raw grid <c>[N, 25, S/32, S/32]</c>.</summary>
    internal Sequential Network => network;

    /// <summary>Loads face-api's TinyFaceDetector weights.</summary>
    /// <param name="manifestPath">Path of <c>tiny_face_detector_model-weights_manifest.json</c>; its <c>.bin</c> shard lies next to it.</param>
    /// <param name="options">Input size and thresholds; <see langword="null"/>: face-api's defaults.</param>
    /// <exception cref="FileNotFoundException">The manifest or its shard does not exist.</exception>
    /// <exception cref="InvalidDataException">The file cannot be read, or its weights are not the TinyFaceDetector's (the message lists the keys that do not fit).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public static FaceDetector Load(string manifestPath, FaceDetectorOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        var detector = Create(options ?? new FaceDetectorOptions());
        try
        {
            PretrainedWeights.Load(detector.network, manifestPath, new WeightLoadOptions { MapKey = TinyYoloV2.KeyFromTfjs, Convert = TinyYoloV2.ConvertTfjs });
        }
        catch
        {
            detector.Dispose();
            throw;
        }

        return detector;
    }

    /// <summary>A detector with freshly initialised (untrained) weights, in eval mode.</summary>
    /// <param name="options">Input size and thresholds; validated here.</param>
    internal static FaceDetector Create(FaceDetectorOptions options)
    {
        options.Validate();
        var network = TinyYoloV2.Build(options.Network);
        network.eval();
        return new FaceDetector(network, options);
    }

    /// <summary>Finds the faces in one image, best first.</summary>
    /// <param name="image">An RGBA or BGRA image (as <c>MLImage.CreateFromFile</c> loads), at least 1×1.</param>
    /// <exception cref="ArgumentException">The image's pixel format is not 32-bit RGBA or BGRA.</exception>
    public IReadOnlyList<DetectedFace> Detect(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = NewDisposeScope();
        return DetectPrepared(Prepare(ImagePixels.ToRgbBytes(image)), SquareToPixels(image.Width, image.Height).unsqueeze(0))[0];
    }

    /// <summary>Finds the faces in a batch of images of one size; for each image, its faces best first.</summary>
    /// <param name="images">RGB images <c>[N, 3, H, W]</c>, floating point, values in [0, 255].</param>
    /// <exception cref="ArgumentException">The tensor is not <c>[N, 3, H, W]</c> floating point with N, H, W at least 1.</exception>
    public IReadOnlyList<IReadOnlyList<DetectedFace>> Detect(Tensor images)
    {
        RequireImages(images);
        using var scope = NewDisposeScope();
        var toPixels = SquareToPixels((int)images.shape[3], (int)images.shape[2]).expand(images.shape[0], -1);
        return DetectPrepared(Prepare(images), toPixels);
    }

    /// <summary>
    /// Finds the faces in a batch of prepared squares (<see cref="Prepare"/>, possibly of images of different
    /// sizes): one network call, the grid decoded, NMS per image, boxes scaled to each image's pixels.
    /// </summary>
    /// <param name="squares">Prepared images <c>[N, 3, InputSize, InputSize]</c> on the network's device.</param>
    /// <param name="toPixels">Per image, the factors from normalised square coordinates to its pixels <c>[N, 4]</c> (<see cref="SquareToPixels"/>).</param>
    internal IReadOnlyList<IReadOnlyList<DetectedFace>> DetectPrepared(Tensor squares, Tensor toPixels)
    {
        using var scope = NewDisposeScope();
        return Decode(Run(squares), toPixels);
    }

    /// <summary>The network's raw grid <c>[N, 25, G, G]</c> for prepared squares (<see cref="Prepare"/>), without autograd.</summary>
    /// <param name="squares">Prepared images <c>[N, 3, InputSize, InputSize]</c> on the network's device.</param>
    internal Tensor Run(Tensor squares)
    {
        using var noGrad = no_grad();
        return network.call(squares);
    }

    /// <summary>The faces of each image from the raw grid: decode, score threshold, NMS per image, best first, in each image's pixels.</summary>
    /// <param name="raw">The network's output <c>[N, 25, G, G]</c>.</param>
    /// <param name="toPixels">Per image, the factors from normalised square coordinates to its pixels <c>[N, 4]</c>.</param>
    internal IReadOnlyList<IReadOnlyList<DetectedFace>> Decode(Tensor raw, Tensor toPixels)
    {
        using var scope = NewDisposeScope();
        var (boxes, scores) = YoloGridDecoder.Decode(raw, tensor(Anchors, device: raw.device).view(-1, 2));
        var keep = NonMaxSuppression.KeepMask(boxes, scores, null, scores.gt(Options.ScoreThreshold), Options.IouThreshold);
        var pixels = boxes.mul(toPixels.to(boxes.device).unsqueeze(1));
        var faces = new IReadOnlyList<DetectedFace>[raw.shape[0]];
        for (var i = 0; i < faces.Length; i++)
        {
            var kept = keep[i].nonzero().view(-1);
            var chosen = kept[scores[i][kept].argsort(descending: true)];
            var corners = pixels[i][chosen].cpu().data<float>().ToArray();
            var best = scores[i][chosen].cpu().data<float>().ToArray();
            faces[i] = [.. best.Select((score, k) => new DetectedFace(corners[4 * k], corners[(4 * k) + 1], corners[(4 * k) + 2], corners[(4 * k) + 3], score))];
        }

        return faces;
    }

    /// <summary>The network's raw output <c>[N, 25, G, G]</c> for RGB images <c>[N, 3, H, W]</c> in [0, 255] (padded, resized and normalised here).</summary>
    /// <param name="images">The images.</param>
    internal Tensor Forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Run(Prepare(images)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// face-api's input: RGB images <c>[N, 3, H, W]</c> in [0, 255] padded to a square, resized to
    /// <c>[N, 3, InputSize, InputSize]</c>, centred on the mean colour and divided by 255, on the network's device.
    /// </summary>
    /// <param name="images">The images, all of one size, floating point or bytes.</param>
    /// <exception cref="ArgumentException">The tensor is not <c>[N, 3, H, W]</c> with N, H, W at least 1.</exception>
    internal Tensor Prepare(Tensor images)
    {
        RequireImages(images, allowBytes: true);
        using var scope = NewDisposeScope();
        var device = network.parameters().First().device;
        var square = SquareResize.Apply(images.to(device), Options.InputSize);
        var mean = tensor(MeanRgb, device: device).view(1, 3, 1, 1);
        return square.sub(mean).div(PixelScale).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Factors from normalised square coordinates to the image's pixels <c>[4]</c>. face-api maps back
    /// through the image's size inside the square rounded half up (JavaScript's <c>Math.round</c>):
    /// x · InputSize · width / round(width · InputSize / side).
    /// </summary>
    internal Tensor SquareToPixels(int width, int height)
    {
        var scale = (double)Options.InputSize / Math.Max(width, height);
        var (inner, innerHeight) = (Math.Floor((width * scale) + 0.5), Math.Floor((height * scale) + 0.5));
        var x = (float)(Options.InputSize * width / inner);
        var y = (float)(Options.InputSize * height / innerHeight);
        return tensor(new[] { x, y, x, y });
    }

    /// <inheritdoc />
    public void Dispose() => network.Dispose();

    private static void RequireImages(Tensor images, bool allowBytes = false)
    {
        ArgumentNullException.ThrowIfNull(images);
        var type = images.is_floating_point() || (allowBytes && images.dtype == ScalarType.Byte);
        if (images.dim() != 4 || images.shape[1] != MeanRgb.Length || images.shape.Any(d => d < 1) || !type)
        {
            throw new ArgumentException($"{nameof(images)} must be {(allowBytes ? "floating-point or byte" : "floating-point")} RGB images [N, 3, H, W] with N, H, W at least 1; got {images.dtype} [{string.Join(", ", images.shape)}].", nameof(images));
        }
    }
}
