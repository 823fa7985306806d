using TorchSharp;
using TorchSharp.Modules;

namespace DeepLearning.Trainers.Training;

/// <summary>Creates the TorchSharp optimiser that <see cref="TrainingOptions.Optimizer"/> names, with one parameter group per <see cref="ParameterGroups"/> group.</summary>
internal static class OptimizerFactory
{
    /// <summary>
    /// The optimiser over <paramref name="groups"/>, each starting at the base rate times its multiplier.
    /// <see cref="TrainingOptions.L2Regularization"/> λ is passed as weight decay, which equals an L2
    /// term (λ/2)‖w‖² in the loss for SGD-type optimisers and is decoupled from the gradient for AdamW.
    /// </summary>
    public static OptimizerHelper Create(ParameterGroups groups, TrainingOptions options)
    {
        var lr = options.LearningRate;
        var decay = options.L2Regularization;
        var g = groups.Groups;
        return options.Optimizer switch
        {
            OptimizerKind.Sgd => torch.optim.SGD(g.Select(x => new SGD.ParamGroup(x.Parameters, new SGD.Options { LearningRate = lr * x.Multiplier })), lr, momentum: 0, weight_decay: decay),
            OptimizerKind.Momentum => torch.optim.SGD(g.Select(x => new SGD.ParamGroup(x.Parameters, new SGD.Options { LearningRate = lr * x.Multiplier })), lr, momentum: options.Momentum, weight_decay: decay),
            OptimizerKind.Nesterov => torch.optim.SGD(g.Select(x => new SGD.ParamGroup(x.Parameters, new SGD.Options { LearningRate = lr * x.Multiplier })), lr, momentum: options.Momentum, weight_decay: decay, nesterov: true),
            OptimizerKind.RmsProp => torch.optim.RMSProp(g.Select(x => new RMSProp.ParamGroup(x.Parameters, new RMSProp.Options { LearningRate = lr * x.Multiplier })), lr, alpha: options.Beta2, eps: options.Epsilon, weight_decay: decay),
            OptimizerKind.Adam => torch.optim.Adam(g.Select(x => new Adam.ParamGroup(x.Parameters, new Adam.Options { LearningRate = lr * x.Multiplier })), lr, beta1: options.Beta1, beta2: options.Beta2, eps: options.Epsilon, weight_decay: decay),
            OptimizerKind.AdamW => torch.optim.AdamW(g.Select(x => new AdamW.ParamGroup(x.Parameters, new AdamW.Options { LearningRate = lr * x.Multiplier })), lr, beta1: options.Beta1, beta2: options.Beta2, eps: options.Epsilon, weight_decay: decay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, $"Unknown {nameof(TrainingOptions.Optimizer)}."),
        };
    }
}
