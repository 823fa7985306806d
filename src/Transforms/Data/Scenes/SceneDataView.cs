using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Data.Scenes;

/// <summary>Generated scenes as an <see cref="IDataView"/> in ML.NET's object-detection layout (see <see cref="SceneGenerator.ToDataView"/>).</summary>
internal sealed class SceneDataView : RandomAccessDataView
{
    internal const string ImageColumn = "Image";
    internal const string BoxesColumn = "Boxes";
    internal const string LabelsColumn = "Labels";
    internal const string MaskColumn = "Mask";

    private readonly IReadOnlyList<Scene> _scenes;

    public SceneDataView(IReadOnlyList<Scene> scenes, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count == 0)
        {
            throw new ArgumentException("At least one class name is needed (the key values of the Labels column).", nameof(classNames));
        }

        int size = scenes.Count > 0 ? scenes[0].Size : 32, channels = scenes.Count > 0 ? scenes[0].Channels : 3;
        for (int i = 0; i < scenes.Count; i++)
        {
            var scene = scenes[i];
            if (scene.Size != size || scene.Channels != channels)
            {
                throw new ArgumentException($"Scene {i} is {scene.Channels}×{scene.Size}×{scene.Size}, scene 0 {channels}×{size}×{size}: one data view holds scenes of one shape.", nameof(scenes));
            }

            if (scene.Labels.FirstOrDefault(l => l < 0 || l >= classNames.Count, -1) is var bad && bad != -1)
            {
                throw new ArgumentException($"Scene {i} has label {bad}, which is not a class index of the {classNames.Count} class names.", nameof(scenes));
            }
        }

        _scenes = scenes;
        var keyType = new KeyDataViewType(typeof(uint), classNames.Count);
        var keyValues = new DataViewSchema.Annotations.Builder();
        var names = new VBuffer<ReadOnlyMemory<char>>(classNames.Count, classNames.Select(n => n.AsMemory()).ToArray());
        keyValues.AddKeyValues(classNames.Count, TextDataViewType.Instance, (ref VBuffer<ReadOnlyMemory<char>> value) => names.CopyTo(ref value));

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ImageColumn, new VectorDataViewType(NumberDataViewType.Single, channels * size * size), ImageShapeAnnotations.Create(channels, size, size));
        builder.AddColumn(BoxesColumn, new VectorDataViewType(NumberDataViewType.Single));
        builder.AddColumn(LabelsColumn, new VectorDataViewType(keyType), keyValues.ToAnnotations());
        builder.AddColumn(MaskColumn, new VectorDataViewType(NumberDataViewType.Byte, size, size));
        Schema = builder.ToSchema();
    }

    public override DataViewSchema Schema { get; }

    protected override int RowCount => _scenes.Count;

    protected override Delegate CreateGetter(int columnIndex, Func<int> row) => columnIndex switch
    {
        0 => Getter(row, s => s.Pixels),
        1 => Getter(row, s => s.Boxes),
        2 => Getter(row, s => s.Labels.Select(l => (uint)(l + 1)).ToArray()),
        3 => Getter(row, s => s.Mask),
        _ => throw new ArgumentOutOfRangeException(nameof(columnIndex)),
    };

    private ValueGetter<VBuffer<T>> Getter<T>(Func<int> row, Func<Scene, T[]> values) => (ref VBuffer<T> value) =>
    {
        var source = values(_scenes[row()]);
        var editor = VBufferEditor.Create(ref value, source.Length);
        source.CopyTo(editor.Values);
        value = editor.Commit();
    };
}
