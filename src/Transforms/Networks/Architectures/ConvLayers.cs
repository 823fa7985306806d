using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>The activation after a convolution–batch-norm pair.</summary>
internal enum ConvActivation
{
    /// <summary>No activation (a linear projection).</summary>
    None,

    /// <summary>max(0, x).</summary>
    ReLU,

    /// <summary>min(max(0, x), 6).</summary>
    ReLU6,

    /// <summary>Leaky ReLU with slope 0.1 (Darknet's).</summary>
    Leaky,
}

/// <summary>Building blocks shared by the architecture zoo, with torchvision's child names.</summary>
internal static class ConvLayers
{
    /// <summary>
    /// torchvision's <c>Conv2dNormActivation</c>: a bias-free convolution <c>0</c>, batch norm <c>1</c>
    /// and (unless <see cref="ConvActivation.None"/>) activation <c>2</c>; padding keeps "same" size.
    /// </summary>
    public static Sequential ConvBn(long inChannels, long outChannels, long kernel, long stride = 1, long groups = 1, ConvActivation activation = ConvActivation.ReLU)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: (kernel - 1) / 2, groups: groups, bias: false),
            nn.BatchNorm2d(outChannels),
        };
        switch (activation)
        {
            case ConvActivation.ReLU:
                layers.Add(nn.ReLU(inplace: true));
                break;
            case ConvActivation.ReLU6:
                layers.Add(nn.ReLU6(inplace: true));
                break;
            case ConvActivation.Leaky:
                layers.Add(nn.LeakyReLU(0.1, inplace: true));
                break;
        }

        return nn.Sequential(layers);
    }

    /// <summary>
    /// GoogLeNet's <c>BasicConv2d</c>: bias-free convolution <c>conv</c>, batch norm <c>bn</c> (eps 0.001), ReLU <c>relu</c>.
    /// </summary>
    public static Sequential BasicConv(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0)
        => nn.Sequential(
            ("conv", nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, bias: false)),
            ("bn", nn.BatchNorm2d(outChannels, eps: 0.001)),
            ("relu", nn.ReLU(inplace: true)));

    /// <summary>A 3×3 convolution with padding 1 (ResNet's <c>conv3x3</c>).</summary>
    public static Conv2d Conv3x3(long inChannels, long outChannels, long stride = 1, bool bias = false)
        => nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: bias);

    /// <summary><paramref name="channels"/> × <paramref name="widthMultiplier"/>, rounded, at least 1.</summary>
    public static long Scale(long channels, double widthMultiplier)
        => Math.Max(1, (long)Math.Round(channels * widthMultiplier, MidpointRounding.AwayFromZero));

    /// <summary>torchvision's <c>_make_divisible</c>: rounds to a multiple of <paramref name="divisor"/>, never below 90 % of the value.</summary>
    public static long MakeDivisible(double value, long divisor = 8)
    {
        var result = Math.Max(divisor, (long)(value + (divisor / 2.0)) / divisor * divisor);
        return result < 0.9 * value ? result + divisor : result;
    }

    /// <summary>
    /// torchvision's initialisation: convolutions He normal (fan-out, ReLU) with zero bias, batch
    /// norms weight 1 and bias 0, linear layers N(0, 0.01²) with zero bias.
    /// </summary>
    public static void Initialize(nn.Module module)
    {
        using var noGrad = torch.no_grad();
        foreach (var (_, m) in module.named_modules())
        {
            switch (m)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    if (conv.bias is not null)
                    {
                        nn.init.zeros_(conv.bias);
                    }

                    break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight!);
                    nn.init.zeros_(bn.bias!);
                    break;
                case Linear linear:
                    nn.init.normal_(linear.weight!, 0, 0.01);
                    if (linear.bias is not null)
                    {
                        nn.init.zeros_(linear.bias);
                    }

                    break;
            }
        }
    }

    /// <summary>Output size of a convolution or pooling along one axis.</summary>
    public static int OutputSize(int size, int kernel, int stride, int padding = 0, bool ceil = false)
    {
        var span = size + (2 * padding) - kernel;
        if (span < 0)
        {
            return 0;
        }

        var steps = ceil ? (span + stride - 1) / stride : span / stride;
        if (ceil && steps * stride >= size + padding)
        {
            steps--;
        }

        return steps + 1;
    }
}
