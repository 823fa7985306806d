namespace DeepLearning.Trainers.Training;

/// <summary>The optimisation algorithm of the training loop.</summary>
public enum OptimizerKind
{
    /// <summary>Plain mini-batch stochastic gradient descent.</summary>
    Sgd,

    /// <summary>SGD with classical (heavy-ball) momentum, <see cref="TrainingOptions.Momentum"/>.</summary>
    Momentum,

    /// <summary>SGD with Nesterov momentum, <see cref="TrainingOptions.Momentum"/>.</summary>
    Nesterov,

    /// <summary>RMSprop: divides by a moving root mean square of gradients (<see cref="TrainingOptions.Beta2"/> is its decay).</summary>
    RmsProp,

    /// <summary>Adam: momentum plus RMSprop with bias correction (<see cref="TrainingOptions.Beta1"/>, <see cref="TrainingOptions.Beta2"/>).</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay (<see cref="TrainingOptions.L2Regularization"/> is the decay).</summary>
    AdamW,
}
