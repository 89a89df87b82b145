using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace GraphCompiler.Runtime;

/// <summary>
/// A model variable: state that lives across steps, under its TensorFlow-style full name
/// (<c>two_layers/h1/weights</c>). Generated variable sets hold typed subclasses; checkpoints and
/// summaries see variables only through this base and their names.
/// </summary>
public abstract class Variable
{
    protected Variable(string name, int[] shape, DType dtype, bool trainable)
    {
        Name = name;
        Shape = shape;
        DType = dtype;
        Trainable = trainable;
        long count = 1;
        foreach (var d in shape) count *= d;
        ElementCount = checked((int)count);
    }

    /// <summary>The full scoped name, e.g. <c>two_layers/h1/weights</c>.</summary>
    public string Name { get; }

    public IReadOnlyList<int> Shape { get; }

    public DType DType { get; }

    /// <summary>False for state that optimizers must never update (e.g. <c>global_step</c>).</summary>
    public bool Trainable { get; }

    public int ElementCount { get; }

    /// <summary>The values as raw little-endian bytes (the platform's order on every supported machine).</summary>
    public abstract Span<byte> AsBytes();

    /// <summary>The values widened to double, in C order (for summaries, tests and printing).</summary>
    public abstract double[] ToDoubleArray();

    /// <summary>The shape as text, e.g. <c>[200, 100]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>A variable with elements of type <typeparamref name="T"/>.</summary>
public sealed class Variable<T> : Variable where T : unmanaged
{
    public Variable(string name, int[] shape, bool trainable = true)
        : base(name, shape, DTypeOf.Get<T>(), trainable)
    {
        Data = new T[ElementCount];
    }

    /// <summary>The storage, in C order. Generated kernels read and write it in place.</summary>
    public T[] Data { get; }

    public Span<T> Values => Data;

    /// <summary>Replaces all values (<c>tf.assign</c> from the host). The length must match.</summary>
    public void Assign(ReadOnlySpan<T> values)
    {
        if (values.Length != Data.Length)
            throw new ArgumentException($"variable '{Name}' has shape {ShapeText} ({Data.Length} elements); got {values.Length} values", nameof(values));
        values.CopyTo(Data);
    }

    public override Span<byte> AsBytes() => MemoryMarshal.AsBytes(Data.AsSpan());

    public override double[] ToDoubleArray()
    {
        var result = new double[Data.Length];
        for (int i = 0; i < Data.Length; i++) result[i] = Convert.ToDouble(Data[i], CultureInfo.InvariantCulture);
        return result;
    }

    /// <summary>NumPy-style text of the values, e.g. <c>[-0.9999969]</c> (nested for higher ranks).</summary>
    public override string ToString() => ArrayFormat.Format(Data, Shape);
}

/// <summary>Maps C# element types to <see cref="DType"/>.</summary>
public static class DTypeOf
{
    public static DType Get<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(int) ? DType.Int32 :
        typeof(T) == typeof(long) ? DType.Int64 :
        typeof(T) == typeof(bool) ? DType.Bool :
        throw new NotSupportedException($"element type {typeof(T)} is not a GraphCompiler dtype");
}

/// <summary>NumPy-like printing of flat C-order data with a shape.</summary>
public static class ArrayFormat
{
    public static string Format<T>(ReadOnlySpan<T> data, IReadOnlyList<int> shape) where T : unmanaged
    {
        var sb = new StringBuilder();
        int offset = 0;
        Append(sb, data, shape, 0, ref offset);
        return sb.ToString();
    }

    public static string Format<T>(T[] data, IReadOnlyList<int> shape) where T : unmanaged => Format((ReadOnlySpan<T>)data, shape);

    private static void Append<T>(StringBuilder sb, ReadOnlySpan<T> data, IReadOnlyList<int> shape, int axis, ref int offset) where T : unmanaged
    {
        if (axis == shape.Count)
        {
            sb.Append(FormatElement(data[offset++]));
            return;
        }
        sb.Append('[');
        for (int i = 0; i < shape[axis]; i++)
        {
            if (i > 0) sb.Append(axis == shape.Count - 1 ? " " : "\n" + new string(' ', axis + 1));
            Append(sb, data, shape, axis + 1, ref offset);
        }
        sb.Append(']');
    }

    /// <summary>Shortest round-trip text, as NumPy prints float32 (<c>-0.9999969</c>, <c>5.6999738e-11</c>).</summary>
    public static string FormatElement<T>(T value) where T : unmanaged => value switch
    {
        float f => FormatFloat(f),
        double d => FormatDouble(d),
        bool b => b ? "True" : "False",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    public static string FormatFloat(float f)
    {
        var s = f.ToString("R", CultureInfo.InvariantCulture);
        return NumpyStyle(s, float.IsFinite(f) && f == MathF.Round(f) && Math.Abs(f) < 1e16f);
    }

    public static string FormatDouble(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return NumpyStyle(s, double.IsFinite(d) && d == Math.Round(d) && Math.Abs(d) < 1e16);
    }

    private static string NumpyStyle(string s, bool integral)
    {
        if (s.Contains('E'))
        {
            // .NET writes 5.6999738E-11; NumPy writes 5.6999738e-11 with a two-digit exponent.
            var parts = s.Split('E');
            var exp = int.Parse(parts[1], CultureInfo.InvariantCulture);
            return parts[0] + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }
        return integral ? s + "." : s;
    }
}
