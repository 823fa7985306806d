using System.Text.Json.Serialization;
using DeepLearning.Transforms.Inputs.Images;
using DeepLearning.Transforms.Serialization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Inputs;

/// <summary>
/// Reads images into tensors of shape <c>[Channels, Height, Width]</c> from a column of any of three
/// kinds, chosen by the column type when the model meets the data (so a model trained on file paths
/// also scores an <c>MLImage</c> column): an <c>MLImage</c> column (ML.NET's
/// <c>mlContext.Transforms.LoadImages</c>), encoded image bytes (a vector of Byte holding a PNG,
/// JPEG, … file, e.g. <c>File.ReadAllBytes</c> or <c>LoadRawImageBytes</c>) or image file paths
/// (Text, relative ones resolved against <see cref="ImageInputOptions.BaseDirectory"/>).
/// <see cref="Options"/> says how each image is resized and scaled; see <see cref="ImageInputOptions"/>.
/// </summary>
[RegisteredName("image")]
public sealed class ImageInput : InputAdapter
{
    /// <summary>Size, channels, scaling and resize policy. Default: <see cref="ImageInputOptions"/>' defaults (224 × 224 RGB in [0, 1], stretched).</summary>
    public ImageInputOptions Options { get; init; } = new();

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<long> Shape => Options.Shape;

    /// <inheritdoc />
    public override void Validate()
    {
        ArgumentNullException.ThrowIfNull(Options, nameof(Options));
        Options.Validate();
        base.Validate();
    }

    /// <summary>Whether a column of <paramref name="type"/> is one this adapter reads: an image, a vector of Byte or text.</summary>
    /// <param name="type">The column type.</param>
    internal static bool CanRead(DataViewType type) => ImageSource.CanRead(type);

    internal override BoundInput Bind(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(ColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(ColumnName), ColumnName, $"Features column '{ColumnName}' was not found in the input. Columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        return CanRead(column.Type)
            ? new Bound(this, column)
            : throw ImageErrors.WrongColumnType(ColumnName, column.Type);
    }

    internal override InputAdapter WithNormalization(InputNormalization? normalization)
        => new ImageInput { ColumnName = ColumnName, Options = Options, Normalization = normalization };

    private sealed class Bound(ImageInput adapter, DataViewSchema.Column column) : BoundInput(adapter, column)
    {
        public override IInputReader CreateReader(DataViewRow row)
            => new Reader(ImageSource.Create(row, Column, adapter.Options.BaseDirectory), adapter.Options, Column.Name);
    }

    /// <summary>Per row: read the image, draw it at the target size, write its scaled planes.</summary>
    private sealed class Reader(ImageSource source, ImageInputOptions options, string column) : IInputReader
    {
        private readonly ImageResampler _resampler = new(options);
        private readonly ImagePlanes _planes = new(options);

        public bool Read(Span<float> destination, long position)
        {
            var image = source.Read(position);
            var pixels = _resampler.Draw(image, () => ImageErrors.WrongSize(column, position, source.Describe(), image.Width, image.Height, options.Width, options.Height));
            _planes.Write(pixels, destination);
            return true;
        }

        public void Dispose()
        {
            source.Dispose();
            _resampler.Dispose();
        }
    }
}
