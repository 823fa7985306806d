namespace DeepLearning.Transforms.Networks;

/// <summary>How weights of linear and convolution layers are initialised; biases start at 0.</summary>
public enum WeightInitialization
{
    /// <summary>He (normal) for ReLU, leaky ReLU and GELU networks; Xavier (normal) for tanh and sigmoid.</summary>
    Auto,

    /// <summary>Glorot/Xavier uniform: U(−a, a), a = gain·√(6/(fan_in+fan_out)).</summary>
    XavierUniform,

    /// <summary>Glorot/Xavier normal: N(0, gain²·2/(fan_in+fan_out)).</summary>
    XavierNormal,

    /// <summary>He/Kaiming uniform: U(−a, a), a = √(6/fan_in) (ReLU gain).</summary>
    HeUniform,

    /// <summary>He/Kaiming normal: N(0, 2/fan_in).</summary>
    HeNormal,

    /// <summary>Small random values N(0, 0.01²), as in a first course; trains slowly when deep.</summary>
    SmallRandom,
}
