namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>A network built around a classifier of the zoo used as its backbone (a detector), so pretrained classifier weights and fine-tuning reach it.</summary>
internal interface IBackboneNetwork
{
    /// <summary>The backbone classifier (its head unused).</summary>
    ImageClassifier Backbone { get; }

    /// <summary>The backbone's name among the network's children: the prefix of its keys in the state dict.</summary>
    string BackboneName { get; }
}
