using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeepLearning.Tests.Estimators;

/// <summary>Tiny separable data sets made in the tests.</summary>
internal static class SyntheticRows
{
    public const int Size = 8;

    public sealed class ClassRow
    {
        [VectorType(Size)]
        public float[] Features { get; set; } = [];

        public string Label { get; set; } = string.Empty;
    }

    public sealed class BinaryRow
    {
        [VectorType(Size)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    public sealed class RegressionRow
    {
        [VectorType(Size)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    /// <summary>A features-only row of unknown vector size, for prediction engines.</summary>
    public sealed class FreeRow
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class MulticlassPrediction
    {
        public float[] Score { get; set; } = [];

        public string PredictedLabel { get; set; } = string.Empty;
    }

    public static readonly string[] ClassNames = ["cat", "dog", "bird"];

    /// <summary>Three Gaussian clusters in 8 dimensions, labelled by name.</summary>
    public static List<ClassRow> Classes(int rows, int seed = 1)
    {
        var random = new Random(seed);
        var list = new List<ClassRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var c = i % ClassNames.Length;
            var x = new float[Size];
            for (var d = 0; d < Size; d++)
            {
                x[d] = (d % ClassNames.Length == c ? 2f : 0f) + Normal(random) * 0.5f;
            }

            list.Add(new ClassRow { Features = x, Label = ClassNames[c] });
        }

        return list;
    }

    /// <summary>Label = (w·x &gt; 0) for a fixed w.</summary>
    public static List<BinaryRow> Binary(int rows, int seed = 1)
    {
        var random = new Random(seed);
        var list = new List<BinaryRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var x = Vector(random);
            list.Add(new BinaryRow { Features = x, Label = x[0] + x[1] - x[2] > 0 });
        }

        return list;
    }

    /// <summary>Label = 3·x0 − 2·x1 + x2² + small noise.</summary>
    public static List<RegressionRow> Regression(int rows, int seed = 1)
    {
        var random = new Random(seed);
        var list = new List<RegressionRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var x = Vector(random);
            list.Add(new RegressionRow { Features = x, Label = (3 * x[0]) - (2 * x[1]) + (x[2] * x[2]) + (0.05f * Normal(random)) });
        }

        return list;
    }

    public static float[] Vector(Random random)
    {
        var x = new float[Size];
        for (var d = 0; d < Size; d++)
        {
            x[d] = Normal(random);
        }

        return x;
    }

    public static float Normal(Random random)
        => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    public static float[] Scores(IDataView scored, string column = "Score")
    {
        var col = scored.Schema[column];
        var result = new List<float>();
        using var cursor = scored.GetRowCursor([col]);
        if (col.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(col);
            var value = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                getter(ref value);
                result.AddRange(value.DenseValues());
            }
        }
        else
        {
            var getter = cursor.GetGetter<float>(col);
            var value = 0f;
            while (cursor.MoveNext())
            {
                getter(ref value);
                result.Add(value);
            }
        }

        return [.. result];
    }
}
