using DeepLearning.Trainers.Data;
using DeepLearning.Trainers.Training.Sources;

namespace DeepLearning.Tests.Training.Sources;

public class ShuffleBufferTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(500)]
    public void EmitsAPermutationWithinTheBufferWindow(int capacity)
    {
        var order = Shuffle(200, capacity, seed: 3);
        Assert.Equal(Enumerable.Range(0, 200), order.Order());
        if (capacity == 1)
        {
            Assert.Equal(Enumerable.Range(0, 200), order);
            return;
        }

        Assert.NotEqual(Enumerable.Range(0, 200), order);
        Assert.Equal(order, Shuffle(200, capacity, seed: 3));
        Assert.NotEqual(order, Shuffle(200, capacity, seed: 4));

        // While rows stream in, the row emitted at position p has arrived among the first p + capacity.
        for (var p = 0; p < 200 - capacity; p++)
        {
            Assert.True(order[p] < p + capacity, $"row {order[p]} at position {p}");
        }
    }

    private static int[] Shuffle(int rows, int capacity, int seed)
    {
        var buffer = new ShuffleBuffer(capacity, 1, 1, new Random(seed));
        var block = new RowBlock(rows, 1, 1);
        var reader = new RowNumberReader();
        for (var row = 0; row < rows; row++)
        {
            if (buffer.IsFull)
            {
                buffer.EvictInto(block);
            }

            reader.Row = row;
            buffer.Read(reader, row);
        }

        while (buffer.DrainInto(block))
        {
        }

        Assert.Equal(rows, block.Rows);
        Assert.Equal(block.Inputs, block.Targets);
        return [.. block.Inputs.Select(v => (int)v)];
    }

    private sealed class RowNumberReader : IExampleReader
    {
        public int Row { get; set; }

        public void Read(Span<float> input, Span<float> target, long position)
        {
            input[0] = Row;
            target[0] = Row;
        }
    }
}
