using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Shape arithmetic shared by the shape ops. A dim is a static size or one symbol, so a result
/// such as <c>n + 2</c> or <c>2·n</c> has no representation: those cases throw a
/// <see cref="ShapeException"/> marked <see cref="IsUnrepresentable"/>, which lowering reports as
/// its own diagnostic (the user must make the dim static or restructure the graph).
/// </summary>
public static class ShapeRules
{
    private const string UnrepresentableKey = "GraphCompiler.UnrepresentableSymbolicShape";

    /// <summary>A shape error caused only by a symbolic dim whose result cannot be written as one dim.</summary>
    public static ShapeException Unrepresentable(string message)
    {
        var e = new ShapeException(message);
        e.Data[UnrepresentableKey] = true;
        return e;
    }

    public static bool IsUnrepresentable(ShapeException e) => e.Data.Contains(UnrepresentableKey);

    /// <summary>Normalises one axis (negative counts from the end) for a tensor of <paramref name="rank"/>.</summary>
    public static int Axis(int axis, int rank, string op)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ShapeException($"{op}: axis {axis} is out of range for rank {rank} (valid: {-rank}..{rank - 1})");
        return a;
    }

    /// <summary>Sum of dims along one axis: static sizes add; one symbol plus zeros stays that symbol.</summary>
    public static Dim Sum(IReadOnlyList<Dim> dims, string op, int axis)
    {
        var symbolic = dims.Where(d => !d.IsStatic).ToList();
        long total = dims.Where(d => d.IsStatic).Sum(d => (long)d.Size);
        if (symbolic.Count == 0) return Dim.Of(checked((int)total));
        if (symbolic.Count == 1 && total == 0) return symbolic[0];
        throw Unrepresentable($"{op}: along axis {axis} the result would have size {string.Join(" + ", dims)}, which is not a single dimension (a dim is a static size or one symbol); make those dims static or join along another axis");
    }

    /// <summary>The product of the dims of <paramref name="shape"/> in [from, to).</summary>
    public static long Product(int[] shape, int from, int to)
    {
        long p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /// <summary>Resolves a begin coordinate (negative counts from the end of a dim of size <paramref name="dim"/>).</summary>
    public static int Begin(int begin, int dim) => begin < 0 ? begin + dim : begin;

    /// <summary>
    /// Checks at compile time, where the dims are static, that a strided window of
    /// <paramref name="window"/> elements from <paramref name="begin"/> stays inside
    /// <paramref name="big"/>: the shared rule of strided_slice and its gradient. Symbolic dims
    /// are checked when the generated code runs.
    /// </summary>
    public static void CheckWindow(Shape big, int[] begin, int[] strides, Shape window, string op)
    {
        if (begin.Length != big.Rank || strides.Length != big.Rank || window.Rank != big.Rank)
            throw new ShapeException($"{op}: begin [{string.Join(", ", begin)}], strides [{string.Join(", ", strides)}] and shape {window} must each have rank {big.Rank} (tensor {big})");
        for (int a = 0; a < big.Rank; a++)
        {
            Dim d = big[a], w = window[a];
            int s = strides[a];
            if (s == 0) throw new ShapeException($"{op}: stride 0 on axis {a}");
            if (!w.IsStatic)
            {
                bool whole = w == d && ((s == 1 && begin[a] == 0) || (s == -1 && begin[a] == -1));
                if (!whole) throw Unrepresentable($"{op}: axis {a} of {big} has symbolic size {w}; a symbolic axis can only be taken whole (forwards or reversed)");
                continue;
            }
            if (w.Size == 0 || !d.IsStatic) continue;
            int b = Begin(begin[a], d.Size);
            long last = b + (long)(w.Size - 1) * s;
            if (b < 0 || b >= d.Size || last < 0 || last >= d.Size)
                throw new ShapeException($"{op}: on axis {a} the window of {w.Size} elements from {begin[a]} with stride {s} leaves the dimension of size {d.Size} (tensor {big})");
        }
    }

    /// <summary>
    /// The source offset in <paramref name="big"/> of every element of a strided window (C order),
    /// used by the reference semantics of strided_slice and its gradient.
    /// </summary>
    public static long[] WindowOffsets(int[] big, int[] begin, int[] strides, int[] window, string op)
    {
        var bigStrides = RefTensor.Strides(big);
        var starts = new int[big.Length];
        for (int a = 0; a < big.Length; a++)
        {
            starts[a] = Begin(begin[a], big[a]);
            if (window[a] == 0) continue;
            long last = starts[a] + (long)(window[a] - 1) * strides[a];
            if (starts[a] < 0 || starts[a] >= big[a] || last < 0 || last >= big[a])
                throw new InvalidOperationException($"{op}: on axis {a} the window of {window[a]} elements from {begin[a]} with stride {strides[a]} leaves the dimension of size {big[a]}");
        }
        var result = new long[RefTensor.Count(window)];
        for (long i = 0; i < result.Length; i++)
        {
            long rem = i, src = 0;
            for (int a = window.Length - 1; a >= 0; a--)
            {
                long c = rem % window[a];
                rem /= window[a];
                src += (starts[a] + c * strides[a]) * bigStrides[a];
            }
            result[i] = src;
        }
        return result;
    }

    /// <summary>Reads an integer index held in a reference tensor, naming it when it is not a whole number.</summary>
    public static long Index(RefTensor t, long position, string op)
    {
        double v = t.Data[position];
        if (v != Math.Floor(v)) throw new InvalidOperationException($"{op}: index {v} at position {position} is not an integer");
        return (long)v;
    }
}
