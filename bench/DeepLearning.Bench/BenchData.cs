using System.Diagnostics;
using DeepLearning.Transforms.Data;
using Microsoft.ML;

namespace DeepLearning.Bench;

/// <summary>One split as flat arrays.</summary>
internal sealed record ImageArrays(float[] Pixels, float[] Labels, int Rows, int Height, int Width)
{
    public int Size => Height * Width;
}

/// <summary>Loads Fashion-MNIST, or synthetic images of the same shape when it is not installed.</summary>
internal static class BenchData
{
    public static (ImageArrays Train, ImageArrays Test, string Source) Load(BenchOptions options)
    {
        var watch = Stopwatch.StartNew();
        ImageArrays train, test;
        string source;
        if (IdxDataset.Exists(options.DataDirectory))
        {
            train = From(IdxDataset.ReadArrays(options.DataDirectory, IdxSplit.Train));
            test = From(IdxDataset.ReadArrays(options.DataDirectory, IdxSplit.Test));
            source = "fashion-mnist";
        }
        else
        {
            Console.Error.WriteLine($"Fashion-MNIST not found in '{options.DataDirectory}' (apt-get install dataset-fashion-mnist); using synthetic images.");
            train = From(SyntheticImages.GenerateArrays(60000, seed: 1));
            test = From(SyntheticImages.GenerateArrays(10000, seed: 2));
            source = "synthetic";
        }

        Console.Error.WriteLine($"Loaded {source}: {train.Rows} train and {test.Rows} test images of {train.Height}x{train.Width} in {watch.Elapsed.TotalSeconds:F2} s.");
        return (train, test, source);
    }

    /// <summary>The same data as <see cref="Load"/>, as ML.NET data views (Features, Label).</summary>
    public static (IDataView Train, IDataView Test, string Source) LoadViews(MLContext ml, BenchOptions options)
    {
        if (IdxDataset.Exists(options.DataDirectory))
        {
            return (IdxDataset.Load(ml, options.DataDirectory, IdxSplit.Train), IdxDataset.Load(ml, options.DataDirectory, IdxSplit.Test), "fashion-mnist");
        }

        Console.Error.WriteLine($"Fashion-MNIST not found in '{options.DataDirectory}' (apt-get install dataset-fashion-mnist); using synthetic images.");
        return (SyntheticImages.Generate(ml, 60000, seed: 1), SyntheticImages.Generate(ml, 10000, seed: 2), "synthetic");
    }

    private static ImageArrays From((float[] Pixels, float[] Labels, int Rows, int Height, int Width) a)
        => new(a.Pixels, a.Labels, a.Rows, a.Height, a.Width);
}
