using DeepLearning.Transforms.Data;
using DeepLearning.Transforms.Onnx;
using DeepLearning.Transforms.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Transforms.Onnx;

namespace DeepLearning.Bench;

/// <summary>The ways the CNN mode scores the test set besides our transformer: ONNX Runtime through <c>ApplyOnnxModel</c> and through its own session, and the helpers that read and compare their predictions.</summary>
internal static class CnnScoringPasses
{
    /// <summary>Torch and ONNX Runtime intra-op threads (the CNN mode's).</summary>
    private const int Threads = CnnBench.Threads;

    /// <summary>Images per inference call (the CNN mode's).</summary>
    private const int InferenceBatch = CnnBench.InferenceBatch;

    /// <summary>
    /// (b) The whole fitted pipeline exported by <c>ConvertToOnnx</c> to <paramref name="path"/> and scored by
    /// <c>ApplyOnnxModel</c> with ONNX Runtime on <see cref="Threads"/> intra-op threads, consumed by a cursor
    /// over the score column.
    /// </summary>
    internal static Owned ApplyOnnxModelPass(MLContext ml, ITransformer model, IDataView train, IDataView test, int rows, string path)
    {
        using (var file = File.Create(path))
        {
            ml.Model.ConvertToOnnx(model, train, file);
        }

        string[] inputs, outputs;
        using (var probe = new InferenceSession(path))
        {
            inputs = [.. probe.InputMetadata.Keys];
            outputs = [.. probe.OutputMetadata.Keys.Where(k => k.StartsWith("Score", StringComparison.Ordinal))];
        }

        var onnx = ml.Transforms.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = path,
            InputColumns = inputs,
            OutputColumns = outputs,
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
        }).Fit(test);
        return new Owned(new ScoringPass("applyOnnxModel", rows, p => ReadScores(onnx.Transform(test), outputs[0], p)), onnx as IDisposable);
    }

    /// <summary>
    /// (c) The network transformer exported alone and run by an ONNX Runtime session (graph
    /// optimisations on, <see cref="Threads"/> intra-op threads), <see cref="InferenceBatch"/> images a call,
    /// over arrays already in memory: what ONNX Runtime can do without ML.NET's row-by-row feeding.
    /// </summary>
    internal static Owned OnnxSessionPass(MLContext ml, NetworkPredictionTransformer network, BenchOptions options, int rows)
    {
        using var buffer = new MemoryStream();
        network.ExportToOnnx(ml, buffer);
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = Threads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var session = new InferenceSession(buffer.ToArray(), sessionOptions);
        var (inputName, metadata) = session.InputMetadata.First();
        string outputName = session.OutputMetadata.Keys.First(k => k.StartsWith("Score", StringComparison.Ordinal));
        var (pixels, _, count, _, _) = IdxDataset.ReadArrays(options.DataDirectory, IdxSplit.Test);
        if (count != rows)
        {
            throw new InvalidOperationException($"The test arrays have {count} rows, the data view {rows}.");
        }

        int length = pixels.Length / rows;
        int Pass(int[] predictions)
        {
            for (int start = 0; start < rows; start += InferenceBatch)
            {
                int n = Math.Min(InferenceBatch, rows - start);
                int[] shape = [n, .. metadata.Dimensions.Skip(1)];
                var tensor = new DenseTensor<float>(pixels.AsMemory(start * length, n * length), shape);
                using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)], [outputName]);
                var scores = (DenseTensor<float>)results.First().AsTensor<float>();
                ArgMax(scores.Buffer.Span, n, predictions.AsSpan(start, n));
            }

            return rows;
        }

        return new Owned(new ScoringPass("onnxSession", rows, Pass), session);
    }

    /// <summary>Reads every row's score vector of <paramref name="column"/> with a cursor; stores each row's arg-max; returns the rows read.</summary>
    internal static int ReadScores(IDataView scored, string column, int[] predictions)
    {
        // ApplyOnnxModel names the column of graph output "X.output" back to "X".
        var score = scored.Schema.GetColumnOrNull(column) ?? scored.Schema[column.Replace(".output", string.Empty, StringComparison.Ordinal)];
        using var cursor = scored.GetRowCursor([score]);
        var getter = cursor.GetGetter<VBuffer<float>>(score);
        var values = default(VBuffer<float>);
        int row = 0;
        while (cursor.MoveNext())
        {
            getter(ref values);
            ReadOnlySpan<float> scores = values.IsDense ? values.GetValues() : values.DenseValues().ToArray();
            ArgMax(scores, 1, predictions.AsSpan(row, 1));
            row++;
        }

        return row;
    }

    /// <summary>The arg-max of each of <paramref name="rows"/> equal slices of <paramref name="scores"/>.</summary>
    internal static void ArgMax(ReadOnlySpan<float> scores, int rows, Span<int> into)
    {
        int classes = scores.Length / rows;
        for (int r = 0; r < rows; r++)
        {
            var row = scores.Slice(r * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            into[r] = best;
        }
    }

    internal static double Agreement(int[] expected, int[] actual)
        => expected.Zip(actual).Count(p => p.First == p.Second) / (double)expected.Length;
}
