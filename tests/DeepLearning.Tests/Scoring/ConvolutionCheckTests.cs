using DeepLearning.Transforms.Scoring;
using static TorchSharp.torch;

namespace DeepLearning.Tests.Scoring;

/// <summary>
/// libtorch's convolution against its definition (unfold and an element-wise product summed) once
/// <see cref="ConvolutionCheck"/> has run, over the widths that oneDNN got wrong on some CPUs (with
/// AVX-512 kernels more than 16 input channels, not a multiple of 16; with AVX2 kernels, channel counts
/// not a multiple of 8); gradients too. Run under <c>ONEDNN_MAX_CPU_ISA=AVX2</c> as well as without it.
/// </summary>
public sealed class ConvolutionCheckTests
{
    [Fact]
    public void TheCheckLeavesConvolutionsCorrect()
    {
        var result = ConvolutionCheck.EnsureVerified();
        Assert.True(ConvolutionCheck.Discrepancy() <= ConvolutionCheck.Tolerance, $"check result {result}, discrepancy {ConvolutionCheck.Discrepancy()}");
    }

    [Theory]
    [InlineData(4, 24, 48, 7, 3)]   // AlexNet's third convolution at width 1/8
    [InlineData(2, 17, 16, 8, 3)]
    [InlineData(3, 40, 8, 5, 5)]
    [InlineData(8, 72, 16, 6, 1)]
    [InlineData(1, 24, 16, 7, 3)]
    [InlineData(4, 32, 16, 7, 3)]
    [InlineData(2, 12, 8, 9, 3)]    // AVX2 kernels: input channels not a multiple of 8
    [InlineData(2, 20, 12, 9, 5)]   // AVX2 kernels: neither channel count a multiple of 8
    [InlineData(1, 100, 16, 9, 5)]
    public void ConvolutionEqualsItsDefinition(int batch, int inputs, int outputs, int size, int kernel)
    {
        ConvolutionCheck.EnsureVerified();
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(5);
        var images = randn([batch, inputs, size, size], generator: generator).requires_grad_();
        var filters = randn([outputs, inputs, kernel, kernel], generator: generator).requires_grad_();
        int padding = (kernel - 1) / 2;

        var actual = nn.functional.conv2d(images, filters, padding: [padding, padding]);
        var patches = nn.functional.unfold(images, kernel, padding: padding);
        var expected = filters.view(1, outputs, -1, 1).mul(patches.unsqueeze(1)).sum(2).view(actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-3), $"max |Δ| {actual.sub(expected).abs().max().item<float>()}");

        // Backward through libtorch's convolution and through the definition, for the same upstream gradient.
        var upstream = randn(actual.shape, generator: generator);
        var (gradImages, gradFilters) = Gradients(actual, images, filters, upstream);
        var (refImages, refFilters) = Gradients(expected, images, filters, upstream);
        Assert.True(gradImages.allclose(refImages, rtol: 1e-4, atol: 1e-3), $"input gradient max |Δ| {gradImages.sub(refImages).abs().max().item<float>()}");
        Assert.True(gradFilters.allclose(refFilters, rtol: 1e-4, atol: 1e-3), $"filter gradient max |Δ| {gradFilters.sub(refFilters).abs().max().item<float>()}");
    }

    private static (Tensor Images, Tensor Filters) Gradients(Tensor output, Tensor images, Tensor filters, Tensor upstream)
    {
        var grads = autograd.grad([output], [images, filters], [upstream], retain_graph: true);
        return (grads[0], grads[1]);
    }
}
