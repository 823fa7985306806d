namespace DeepLearning.Transforms.Networks;

/// <summary>How weights of linear and convolution layers are initialised; biases start at 0.</summary>
public enum WeightInitialization
{
    /// <summary>He (normal) for ReLU, leaky ReLU and GELU networks; Xavier (normal) for tanh and sigmoid.</summary>
    Auto,

    /// <summary>Glorot/Xavier uniform: U(−a, a), a = √(6/(fan_in+fan_out)) (times 5/3 before tanh).</summary>
    XavierUniform,

    /// <summary>Glorot/Xavier normal: N(0, 2/(fan_in+fan_out)) (standard deviation times 5/3 before tanh).</summary>
    XavierNormal,

    /// <summary>He/Kaiming uniform: U(−a, a), a = gain·√(3/fan_in), gain² = 2 for ReLU and GELU, 2/(1+slope²) for leaky ReLU, (5/3)² for tanh, 1 for sigmoid.</summary>
    HeUniform,

    /// <summary>He/Kaiming normal: N(0, gain²/fan_in), with the gain of <see cref="HeUniform"/> (2/fan_in for ReLU).</summary>
    HeNormal,

    /// <summary>Small random values N(0, 0.01²), as in a first course; trains slowly when deep.</summary>
    SmallRandom,
}
