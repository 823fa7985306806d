using DeepLearning.Samples.TransferLearning;

// Transfer learning on real data: pretrains a small CNN on Fashion-MNIST, then learns real MNIST
// handwritten digits from 10, 100 and 650 labelled examples per class in three ways (from scratch;
// the pretrained backbone as a frozen featurizer with a linear ML.NET trainer; fine-tuning the
// pretrained backbone with a fresh head), prints a markdown table of test accuracies and each
// method's gain over scratch on the same subsets, and writes transfer.png.
return SampleEntry.Run(args, TransferOptions.Parse, TransferOptions.Usage, TransferRun.Run);
