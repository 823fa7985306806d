using DeepLearning.Samples.ImageClassification;
using Microsoft.ML;

// Trains convolutional networks on images through ML.NET pipelines: by default LeNet-5, a small CNN
// and a ResNet-20 with augmentation on Fashion-MNIST, compared on the test set; with --folder, a small
// CNN on a folder of image files streamed from disk. Saves the best model, reloads it, checks that its
// predictions are unchanged, and writes learning curves, a confusion matrix and the most confidently
// wrong images as PNGs.
return SampleEntry.Run(args, SampleOptions.Parse, SampleOptions.Usage, options =>
{
    var ml = new MLContext(seed: 1);
    TrainerLog.ShowBatchSources(ml);
    return options.Folder is { } folder
        ? ImageFolderRun.Run(ml, options, folder)
        : FashionMnistRun.Run(ml, options);
});
