namespace DeepLearning.Transforms.Networks;

/// <summary>Non-linearity applied after each hidden layer.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    ReLU,

    /// <summary>x for x &gt; 0, slope·x otherwise (slope from the network options).</summary>
    LeakyReLU,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>Logistic sigmoid 1/(1+e^-x).</summary>
    Sigmoid,

    /// <summary>Gaussian error linear unit x·Φ(x).</summary>
    Gelu,
}
