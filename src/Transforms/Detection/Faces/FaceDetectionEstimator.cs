using DeepLearning.Transforms.Validation;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DeepLearning.Transforms.Detection.Faces;

/// <summary>
/// Finds the faces in an image column with face-api's pretrained TinyFaceDetector (<see cref="FaceDetector"/>)
/// and appends ML.NET's object-detection columns (<see cref="FaceDetectionColumns"/>). Fitting reads no data:
/// it checks the column, loads the weights and returns a <see cref="FaceDetectionTransformer"/> that runs the
/// network on batches of rows and saves the weights into the ML.NET model zip. Create it with
/// <c>mlContext.Transforms.DetectFaces(manifestPath)</c>.
/// </summary>
public sealed class FaceDetectionEstimator : IEstimator<FaceDetectionTransformer>
{
    private readonly string _manifestPath;
    private readonly string _inputColumnName;
    private readonly FaceDetectorOptions _options;

    internal FaceDetectionEstimator(string manifestPath, string inputColumnName, FaceDetectorOptions options)
    {
        OptionCheck.RequireName(manifestPath, nameof(manifestPath));
        OptionCheck.RequireName(inputColumnName, nameof(inputColumnName));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        (_manifestPath, _inputColumnName, _options) = (manifestPath, inputColumnName, options);
    }

    /// <summary>Checks the image column and loads the weights.</summary>
    /// <param name="input">Data with the image column (only its schema is read).</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or not an image column (the message names it).</exception>
    /// <exception cref="FileNotFoundException">The manifest or its shard does not exist (the message names the path).</exception>
    /// <exception cref="InvalidDataException">The weights cannot be read or are not the TinyFaceDetector's.</exception>
    public FaceDetectionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FaceDetectionColumns.RequireImage(input.Schema, _inputColumnName);
        if (!File.Exists(_manifestPath))
        {
            throw new FileNotFoundException($"The face detector's weight manifest (manifestPath) '{Path.GetFullPath(_manifestPath)}' does not exist.", _manifestPath);
        }

        return new FaceDetectionTransformer(FaceDetector.Load(_manifestPath, _options), _inputColumnName);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.TryFindColumn(_inputColumnName, out var column))
        {
            throw FaceDetectionColumns.Missing(_inputColumnName, inputSchema.Select(c => c.Name));
        }

        var scalar = column.Kind == SchemaShape.Column.VectorKind.Scalar;
        if (scalar ? column.ItemType is not (ImageDataViewType or TextDataViewType) : column.ItemType != NumberDataViewType.Byte)
        {
            throw FaceDetectionColumns.WrongType(_inputColumnName, scalar ? column.ItemType : new VectorDataViewType((PrimitiveDataViewType)column.ItemType));
        }

        return FaceDetectionColumns.OutputShape(inputSchema);
    }
}
