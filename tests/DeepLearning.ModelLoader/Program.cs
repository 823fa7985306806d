// Loads a model saved with MLContext.Model.Save in another process and scores features from a
// binary file (int rows, int length, then rows*length floats), writing one output column (Score
// by default) as floats. Usage: DeepLearning.ModelLoader <model.zip> <features.bin> <scores.bin> [column]
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length is < 3 or > 4)
{
    Console.Error.WriteLine("usage: DeepLearning.ModelLoader <model.zip> <features.bin> <scores.bin> [column]");
    return 2;
}

using var input = new BinaryReader(File.OpenRead(args[1]));
var rows = input.ReadInt32();
var length = input.ReadInt32();
var features = new List<float[]>(rows);
for (var r = 0; r < rows; r++)
{
    var x = new float[length];
    for (var i = 0; i < length; i++)
    {
        x[i] = input.ReadSingle();
    }

    features.Add(x);
}

var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var schema = SchemaDefinition.Create(typeof(Row));
schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
var data = ml.Data.LoadFromEnumerable(features.Select(f => new Row { Features = f }), schema);
var scored = model.Transform(data);
var column = scored.Schema[args.Length == 4 ? args[3] : "Score"];
using var output = new BinaryWriter(File.Create(args[2]));
using var cursor = scored.GetRowCursor([column]);
if (column.Type is VectorDataViewType)
{
    var getter = cursor.GetGetter<VBuffer<float>>(column);
    var value = default(VBuffer<float>);
    while (cursor.MoveNext())
    {
        getter(ref value);
        foreach (var v in value.DenseValues())
        {
            output.Write(v);
        }
    }
}
else
{
    var getter = cursor.GetGetter<float>(column);
    var value = 0f;
    while (cursor.MoveNext())
    {
        getter(ref value);
        output.Write(value);
    }
}

return 0;

internal sealed class Row
{
    public float[] Features { get; set; } = [];
}
