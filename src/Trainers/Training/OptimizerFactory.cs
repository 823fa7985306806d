using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch.optim;

namespace DeepLearning.Trainers.Training;

/// <summary>Creates the TorchSharp optimiser that <see cref="TrainingOptions.Optimizer"/> names.</summary>
internal static class OptimizerFactory
{
    /// <summary>
    /// The optimiser over <paramref name="parameters"/>. <see cref="TrainingOptions.L2Regularization"/>
    /// λ is passed as weight decay, which equals an L2 term (λ/2)‖w‖² in the loss for SGD-type
    /// optimisers and is decoupled from the gradient for AdamW.
    /// </summary>
    public static OptimizerHelper Create(IEnumerable<Parameter> parameters, TrainingOptions options)
    {
        var lr = options.LearningRate;
        var decay = options.L2Regularization;
        return options.Optimizer switch
        {
            OptimizerKind.Sgd => torch.optim.SGD(parameters, lr, momentum: 0, weight_decay: decay),
            OptimizerKind.Momentum => torch.optim.SGD(parameters, lr, momentum: options.Momentum, weight_decay: decay),
            OptimizerKind.Nesterov => torch.optim.SGD(parameters, lr, momentum: options.Momentum, weight_decay: decay, nesterov: true),
            OptimizerKind.RmsProp => torch.optim.RMSProp(parameters, lr, alpha: options.Beta2, eps: options.Epsilon, weight_decay: decay),
            OptimizerKind.Adam => torch.optim.Adam(parameters, lr, beta1: options.Beta1, beta2: options.Beta2, eps: options.Epsilon, weight_decay: decay),
            OptimizerKind.AdamW => torch.optim.AdamW(parameters, lr, beta1: options.Beta1, beta2: options.Beta2, eps: options.Epsilon, weight_decay: decay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, $"Unknown {nameof(TrainingOptions.Optimizer)}."),
        };
    }
}
