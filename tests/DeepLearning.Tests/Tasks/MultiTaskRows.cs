using Microsoft.ML.Data;
using static DeepLearning.Tests.Estimators.SyntheticRows;

namespace DeepLearning.Tests.Tasks;

/// <summary>A synthetic 3-label problem (the driving example's scene tags) with missing labels.</summary>
internal static class MultiTaskRows
{
    public static readonly string[] Labels = ["Pedestrian", "Car", "StopSign"];

    public sealed class SceneRow
    {
        [VectorType(Size)]
        public float[] Features { get; set; } = [];

        /// <summary>x0 + x1 &gt; 0, NaN (missing) in about 30 % of the rows.</summary>
        public float Pedestrian { get; set; }

        /// <summary>x2 − x3 &gt; 0, NaN (missing) in about 30 % of the rows.</summary>
        public float Car { get; set; }

        /// <summary>x4 + x5 − x0 &gt; 0, never missing.</summary>
        public bool StopSign { get; set; }
    }

    public static List<SceneRow> Scenes(int rows, int seed = 1)
    {
        var random = new Random(seed);
        var list = new List<SceneRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var x = Vector(random);
            list.Add(new SceneRow
            {
                Features = x,
                Pedestrian = random.NextDouble() < 0.3 ? float.NaN : (x[0] + x[1] > 0 ? 1 : 0),
                Car = random.NextDouble() < 0.3 ? float.NaN : (x[2] - x[3] > 0 ? 1 : 0),
                StopSign = x[4] + x[5] - x[0] > 0,
            });
        }

        return list;
    }
}
