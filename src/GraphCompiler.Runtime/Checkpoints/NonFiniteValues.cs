using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>Where a floating-point tensor holds NaN or infinity: how many such values, and the first.</summary>
/// <param name="Count">How many elements are NaN, +Inf or -Inf.</param>
/// <param name="FirstIndex">The flat (C-order) index of the first of them.</param>
/// <param name="FirstValue">That element's value.</param>
internal readonly record struct NonFiniteValues(long Count, long FirstIndex, double FirstValue)
{
    /// <summary>
    /// Scans the little-endian bytes of a tensor; null when every value is finite or the dtype is not floating point.
    /// The all-finite case, every save's, is one vectorised pass of the platform's <c>TensorPrimitives.IsFiniteAll</c>;
    /// values are counted one by one only once that has failed.
    /// </summary>
    public static NonFiniteValues? Find(ReadOnlySpan<byte> data, DType dtype) => dtype switch
    {
        DType.Float32 => Find(MemoryMarshal.Cast<byte, float>(data)),
        DType.Float64 => Find(MemoryMarshal.Cast<byte, double>(data)),
        _ => null,
    };

    /// <summary>The finding in words, e.g. <c>3 non-finite values (the first, NaN, at index 17)</c>.</summary>
    public string Describe() =>
        (Count == 1 ? "1 non-finite value" : $"{Count} non-finite values") + $" (the first, {Text(FirstValue)}, at index {FirstIndex})";

    /// <summary>NaN, +Inf or -Inf, whatever the culture (which may print infinity as a symbol).</summary>
    public static string Text(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";

    private static NonFiniteValues? Find<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // IsFiniteAll says false for an empty span; an empty tensor has nothing non-finite.
        if (values.IsEmpty || TensorPrimitives.IsFiniteAll(values)) return null;
        int first = -1;
        long count = 0;
        for (int i = 0; i < values.Length; i++)
            if (!T.IsFinite(values[i]))
            {
                if (first < 0) first = i;
                count++;
            }
        return first < 0 ? null : new NonFiniteValues(count, first, double.CreateTruncating(values[first]));
    }
}
