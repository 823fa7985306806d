using Microsoft.ML.Data;

namespace DeepLearning.Transforms.Heads;

/// <summary>Readers of common output values, shared by the heads.</summary>
internal static class OutputValues
{
    /// <summary>Copies the outputs <c>[start, start + length)</c> into a dense vector.</summary>
    public static OutputValueGetter<VBuffer<float>> Slice(int start, int length)
        => (ReadOnlySpan<float> outputs, ref VBuffer<float> value) =>
        {
            var editor = VBufferEditor.Create(ref value, length);
            outputs.Slice(start, length).CopyTo(editor.Values);
            value = editor.Commit();
        };

    /// <summary>The output at <paramref name="index"/>.</summary>
    public static OutputValueGetter<float> At(int index)
        => (ReadOnlySpan<float> outputs, ref float value) => value = outputs[index];

    /// <summary>1 + the index of the largest output, as a key; 0 (missing) when an output is NaN.</summary>
    public static void ArgMaxKey(ReadOnlySpan<float> outputs, ref uint value)
    {
        var best = 0;
        for (var i = 0; i < outputs.Length; i++)
        {
            if (float.IsNaN(outputs[i]))
            {
                value = 0;
                return;
            }

            if (outputs[i] > outputs[best])
            {
                best = i;
            }
        }

        value = (uint)best + 1;
    }
}
