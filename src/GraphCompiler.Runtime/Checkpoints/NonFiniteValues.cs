using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>Where a floating-point tensor holds NaN or infinity: how many such values, and the first.</summary>
/// <param name="Count">How many elements are NaN, +Inf or -Inf.</param>
/// <param name="FirstIndex">The flat (C-order) index of the first of them.</param>
/// <param name="FirstValue">That element's value.</param>
internal readonly record struct NonFiniteValues(long Count, long FirstIndex, double FirstValue)
{
    private const uint SingleExponent = 0x7F80_0000u;
    private const ulong DoubleExponent = 0x7FF0_0000_0000_0000ul;

    /// <summary>
    /// Scans the little-endian bytes of a tensor; null when every value is finite or the dtype is not floating point.
    /// A value is non-finite exactly when all its exponent bits are set, so the scan masks and compares whole
    /// vectors of raw bits and only counts element by element once it has found one.
    /// </summary>
    public static NonFiniteValues? Find(ReadOnlySpan<byte> data, DType dtype) => dtype switch
    {
        DType.Float32 => Find(MemoryMarshal.Cast<byte, uint>(data), SingleExponent, bits => BitConverter.UInt32BitsToSingle(bits)),
        DType.Float64 => Find(MemoryMarshal.Cast<byte, ulong>(data), DoubleExponent, BitConverter.UInt64BitsToDouble),
        _ => null,
    };

    /// <summary>The finding in words, e.g. <c>3 non-finite values (the first, NaN, at index 17)</c>.</summary>
    public string Describe() =>
        (Count == 1 ? "1 non-finite value" : $"{Count} non-finite values") + $" (the first, {Text(FirstValue)}, at index {FirstIndex})";

    /// <summary>NaN, +Inf or -Inf, whatever the culture (which may print infinity as a symbol).</summary>
    public static string Text(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";

    private static NonFiniteValues? Find<T>(ReadOnlySpan<T> bits, T exponent, Func<T, double> toDouble)
        where T : unmanaged, IBinaryInteger<T>
    {
        int first = IndexOfAllOnes(bits, exponent);
        if (first < 0) return null;
        long count = 0;
        for (int i = first; i < bits.Length; i++)
            if ((bits[i] & exponent) == exponent) count++;
        return new NonFiniteValues(count, first, toDouble(bits[first]));
    }

    private static int IndexOfAllOnes<T>(ReadOnlySpan<T> bits, T mask)
        where T : unmanaged, IBinaryInteger<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var maskVector = new Vector<T>(mask);
            for (; i <= bits.Length - Vector<T>.Count; i += Vector<T>.Count)
                if (Vector.EqualsAny(new Vector<T>(bits[i..]) & maskVector, maskVector))
                    break;
        }
        // The tail, or the vector in which the first hit lies.
        for (; i < bits.Length; i++)
            if ((bits[i] & mask) == mask) return i;
        return -1;
    }
}
