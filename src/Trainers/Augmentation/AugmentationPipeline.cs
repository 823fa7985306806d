using System.Text.Json.Nodes;
using DeepLearning.Trainers.Training;
using DeepLearning.Trainers.Training.Sources;
using DeepLearning.Transforms.Inputs;
using DeepLearning.Transforms.Serialization;
using static TorchSharp.torch;

namespace DeepLearning.Trainers.Augmentation;

/// <summary>
/// Augmentation steps applied in order to training batches (never to validation or scoring).
/// Every sample decides each step and draws its parameters on its own, from a generator seeded by
/// (<see cref="Seed"/>, epoch, batch number), so a run — or a run resumed from a checkpoint — sees
/// the same augmented batches. Saved and read as JSON with <see cref="ToJson"/> and <see cref="FromJson"/>.
/// </summary>
/// <remarks>
/// Mixup and CutMix mix targets as well as images, so they are not steps: see <see cref="BatchMixing"/>.
/// </remarks>
public sealed class AugmentationPipeline : IBatchAugmentation
{
    private const string StepsProperty = "steps";
    private const string SeedProperty = "seed";

    /// <summary>Creates a pipeline and validates its steps.</summary>
    /// <param name="steps">The steps, applied in order; may be empty (the identity).</param>
    /// <param name="seed">The seed of the random choices; any value. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A step's option is out of range (the message names it).</exception>
    public AugmentationPipeline(IEnumerable<AugmentationStep> steps, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(steps);
        Steps = [.. steps];
        foreach (var step in Steps)
        {
            ArgumentNullException.ThrowIfNull(step, nameof(steps));
            step.Validate();
        }

        Seed = seed;
    }

    /// <summary>The steps, applied in order.</summary>
    public IReadOnlyList<AugmentationStep> Steps { get; }

    /// <summary>The seed of the random choices.</summary>
    public int Seed { get; }

    /// <summary>Reads a pipeline written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">The JSON is not a pipeline or names an unknown step.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A step's option is out of range.</exception>
    public static AugmentationPipeline FromJson(JsonNode? json)
    {
        if (json is not JsonObject obj || obj[StepsProperty] is not JsonArray steps)
        {
            throw new FormatException($"An augmentation pipeline must be a JSON object with a '{StepsProperty}' array.");
        }

        var seed = obj[SeedProperty]?.GetValue<int>() ?? 0;
        return new AugmentationPipeline(steps.Select(s => NamedTypes.Read<AugmentationStep>(s, "augmentation")), seed);
    }

    /// <summary>The pipeline as JSON: <c>{"seed": …, "steps": [{"type": name, options…}, …]}</c>.</summary>
    public JsonObject ToJson()
        => new() { [SeedProperty] = Seed, [StepsProperty] = new JsonArray([.. Steps.Select(s => (JsonNode)NamedTypes.Write(s))]) };

    /// <summary>
    /// Augments <paramref name="input"/> <c>[B, C, H, W]</c> with the generator of (seed, epoch, batch);
    /// the result is in the caller's dispose scope, on the input's device.
    /// </summary>
    /// <param name="input">Floating-point images.</param>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="batchNumber">1-based batch number within the epoch.</param>
    /// <exception cref="ArgumentException">The input is not a floating-point tensor of rank 4.</exception>
    public Tensor Apply(Tensor input, int epoch, int batchNumber)
    {
        RequireImages(input);
        if (Steps.Count == 0)
        {
            return input;
        }

        // Intermediate tensors are freed here; only the result moves to the caller's scope.
        using var scope = NewDisposeScope();
        using var generator = Generator(epoch, batchNumber);
        var x = input;
        foreach (var step in Steps)
        {
            x = step.Apply(x, generator);
        }

        return scope.MoveToOuter(x);
    }

    /// <summary>
    /// Augments <paramref name="input"/> as <see cref="Apply(Tensor, int, int)"/> does (the same images for the
    /// same seed, epoch and batch) and moves each sample's boxes with its pixels: geometric steps map them,
    /// then clip them to the image and remove those mostly pushed out (<see cref="BoxGeometry"/>); photometric
    /// steps keep them. Results are in the caller's dispose scope.
    /// </summary>
    /// <param name="input">Floating-point images <c>[B, C, H, W]</c>.</param>
    /// <param name="boxes">Normalised corner boxes <c>[B, M, 4]</c> (<c>x1, y1, x2, y2</c> in [0, 1]), floating point.</param>
    /// <param name="valid">Which boxes are objects, <c>[B, M]</c> bool; the others stay invalid (box 0).</param>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="batchNumber">1-based batch number within the epoch.</param>
    /// <exception cref="ArgumentException">A tensor's type or shape does not fit the images.</exception>
    internal (Tensor Images, Tensor Boxes, Tensor Valid) Apply(Tensor input, Tensor boxes, Tensor valid, int epoch, int batchNumber)
    {
        RequireImages(input);
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(valid);
        var b = input.shape[0];
        if (boxes.dim() != 3 || boxes.shape[0] != b || boxes.shape[2] != 4 || !boxes.is_floating_point())
        {
            throw new ArgumentException($"Boxes to augment must be floating point [{b}, M, 4] for {b} images, not {boxes.dtype} [{string.Join(", ", boxes.shape)}].", nameof(boxes));
        }

        if (valid.dtype != ScalarType.Bool || !valid.shape.SequenceEqual(boxes.shape[..2]))
        {
            throw new ArgumentException($"The validity of the boxes must be Bool [{b}, {boxes.shape[1]}], not {valid.dtype} [{string.Join(", ", valid.shape)}].", nameof(valid));
        }

        using var scope = NewDisposeScope();
        using var generator = Generator(epoch, batchNumber);
        var (x, moved, kept) = (input, boxes, valid);
        foreach (var step in Steps)
        {
            (x, moved, kept) = step.Apply(x, moved, kept, generator);
        }

        return scope.MoveToOuter(x, moved, kept);
    }

    /// <summary>
    /// The batch augmentation that runs this pipeline in training: moving the boxes of the targets when
    /// the task has <paramref name="boxTargets"/>, on the pixel scale when batches are standardised.
    /// </summary>
    /// <param name="boxTargets">The task's boxes, or <see langword="null"/> when its targets hold none.</param>
    /// <param name="normalization">The inputs' standardisation, or <see langword="null"/>.</param>
    /// <param name="shape">The per-row input shape <c>[C, H, W]</c>.</param>
    internal IBatchAugmentation ForTraining(IBoxTargets? boxTargets, InputNormalization? normalization, IReadOnlyList<long> shape)
    {
        IBatchAugmentation augmentation = boxTargets is null ? this : new BoxAugmentation(this, boxTargets);
        return normalization is null ? augmentation : new NormalizedAugmentation(augmentation, normalization, shape);
    }

    /// <inheritdoc cref="IBatchAugmentation.Apply"/>
    Batch IBatchAugmentation.Apply(Batch batch, int epoch, int batchNumber)
        => batch with { Input = Apply(batch.Input, epoch, batchNumber) };

    private static void RequireImages(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || !input.is_floating_point())
        {
            throw new ArgumentException($"Augmentation needs floating-point images [B, C, H, W], not {input.dtype} [{string.Join(", ", input.shape)}].", nameof(input));
        }
    }

    private Generator Generator(int epoch, int batchNumber) => new(Draw.BatchSeed(Seed, epoch, batchNumber));
}
