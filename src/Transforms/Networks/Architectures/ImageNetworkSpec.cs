using System.Text.Json.Serialization;
using DeepLearning.Transforms.Validation;

namespace DeepLearning.Transforms.Networks.Architectures;

/// <summary>
/// Options shared by the image classifiers of the architecture zoo: the input image
/// <c>[InputChannels, InputHeight, InputWidth]</c> and the number of classes (<see cref="OutputSize"/>).
/// </summary>
public abstract record ImageNetworkSpec : NetworkSpec
{
    /// <summary>Number of input channels (1 for grey, 3 for RGB). Default 3; at least 1.</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Input image height in pixels. Default 224; at least the family's minimum.</summary>
    public int InputHeight { get; init; } = 224;

    /// <summary>Input image width in pixels. Default 224; at least the family's minimum.</summary>
    public int InputWidth { get; init; } = 224;

    /// <summary>Number of classes (outputs of the head). Default 1000; at least 1.</summary>
    public override int OutputSize { get; init; } = 1000;

    /// <inheritdoc />
    [JsonIgnore]
    public override IReadOnlyList<long> InputShape => [InputChannels, InputHeight, InputWidth];

    /// <summary>The smallest height and width the network accepts with these options.</summary>
    protected abstract int MinimumInputSize { get; }

    /// <inheritdoc />
    public override void Validate()
    {
        OptionCheck.Require(InputChannels >= 1, InputChannels, nameof(InputChannels), "at least 1");
        OptionCheck.Require(OutputSize >= 1, OutputSize, nameof(OutputSize), "at least 1");
        var min = MinimumInputSize;
        OptionCheck.Require(InputHeight >= min, InputHeight, nameof(InputHeight), $"at least {min} for these options");
        OptionCheck.Require(InputWidth >= min, InputWidth, nameof(InputWidth), $"at least {min} for these options");
    }

    /// <summary>The smallest size for which <paramref name="finalSize"/> (the size of the last feature map) is at least 1.</summary>
    /// <param name="finalSize">Maps an input height or width to the last feature map's.</param>
    private protected static int SmallestInput(Func<int, int> finalSize)
    {
        var size = 1;
        while (size < 4096 && finalSize(size) < 1)
        {
            size++;
        }

        return size;
    }

    /// <summary>Requires a width multiplier in (0, 4].</summary>
    /// <param name="widthMultiplier">The value.</param>
    /// <param name="name">The option's name.</param>
    private protected static void RequireWidth(double widthMultiplier, string name)
        => OptionCheck.Require(widthMultiplier > 0 && widthMultiplier <= 4, widthMultiplier, name, "in (0, 4]");
}
