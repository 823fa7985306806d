using DeepLearning.Trainers.Training.Sources;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Training.Sources;

/// <summary>Reads whole passes of batch sources into arrays.</summary>
internal static class SourceReading
{
    /// <summary>Every row of one pass: inputs row after row, targets as int64, and the batch sizes.</summary>
    public static (float[] Inputs, long[] Targets, List<long> Batches) ReadPass(IBatchSource source, BatchOrder order, int batchSize = 7)
    {
        var inputs = new List<float>();
        var targets = new List<long>();
        var batches = new List<long>();
        using var reader = source.Open(batchSize, order);
        while (true)
        {
            using var scope = NewDisposeScope();
            if (!reader.TryRead(out var batch))
            {
                break;
            }

            Assert.Equal(source.Device.type, batch.Input.device.type);
            batches.Add(batch.Rows);
            inputs.AddRange(batch.Input.contiguous().data<float>().ToArray());
            targets.AddRange(batch.Target.to(ScalarType.Int64).data<long>().ToArray());
        }

        return ([.. inputs], [.. targets], batches);
    }

    /// <summary>The row ids of a pass over a view made with <c>rowIndexFeature</c>: feature 0 of each row.</summary>
    public static int[] RowIds(IBatchSource source, BatchOrder order)
    {
        var inputs = ReadPass(source, order).Inputs;
        return [.. Enumerable.Range(0, inputs.Length / TrainingData.Inputs).Select(i => (int)inputs[i * TrainingData.Inputs])];
    }
}
