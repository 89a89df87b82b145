using System.Numerics;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Execution;

/// <summary>
/// The shape family's library ops: concatenation, strided windows (slice, its gradient, pad),
/// tile, gather and its sparse row gradient, one-hot and batched matrix products. Windows whose
/// extent depends on a symbolic dim are bounds-checked here, at call time, with a message naming
/// the axis.
/// </summary>
public static partial class CpuOps
{
    /// <summary>
    /// Copies one concat input into its place: x is <paramref name="outer"/> rows of
    /// <paramref name="part"/> elements, written at column <paramref name="offset"/> of y's rows of
    /// <paramref name="width"/> elements.
    /// </summary>
    public static void ConcatPart<T>(ReadOnlySpan<T> x, int outer, int part, int width, int offset, Span<T> y)
        where T : unmanaged
    {
        if (part == 0) return;
        for (int o = 0; o < outer; o++) x.Slice(o * part, part).CopyTo(y.Slice(o * width + offset, part));
    }

    /// <summary>
    /// y = the strided window of x: <c>y[i] = x[begin + i·strides]</c> per axis, a negative begin
    /// counting from the end of x's dim.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window leaves x on some axis (only possible for symbolic dims).</exception>
    public static void StridedSlice<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> begin, ReadOnlySpan<int> strides, Span<T> y, ReadOnlySpan<int> yShape)
        where T : unmanaged
    {
        int rank = xShape.Length;
        Span<int> step = stackalloc int[Math.Max(rank, 1)];
        int count = Count(yShape);
        if (count == 0) return;
        int start = WindowStart(xShape, begin, strides, yShape, step, "strided_slice");
        if (rank == 0)
        {
            y[0] = x[start];
            return;
        }
        int inner = yShape[rank - 1], innerStep = step[rank - 1];
        Span<int> coord = stackalloc int[rank];
        int src = start;
        for (int row = 0; row < count; row += inner)
        {
            if (innerStep == 1) x.Slice(src, inner).CopyTo(y.Slice(row, inner));
            else for (int j = 0; j < inner; j++) y[row + j] = x[src + j * innerStep];
            src = NextRow(coord, yShape, step, src);
        }
    }

    /// <summary>
    /// The inverse placement: y (of <paramref name="yShape"/>) is <paramref name="fill"/> everywhere
    /// except the strided window, which holds x. The gradient of a strided slice (fill 0) and
    /// constant padding (begin = the paddings before, strides 1).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The window leaves y on some axis (only possible for symbolic dims).</exception>
    public static void StridedPlace<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, ReadOnlySpan<int> begin, ReadOnlySpan<int> strides, T fill, Span<T> y, ReadOnlySpan<int> yShape)
        where T : unmanaged
    {
        int rank = yShape.Length;
        y.Slice(0, Count(yShape)).Fill(fill);
        int count = Count(xShape);
        if (count == 0) return;
        Span<int> step = stackalloc int[Math.Max(rank, 1)];
        int start = WindowStart(yShape, begin, strides, xShape, step, "strided_slice_grad");
        if (rank == 0)
        {
            y[start] = x[0];
            return;
        }
        int inner = xShape[rank - 1], innerStep = step[rank - 1];
        Span<int> coord = stackalloc int[rank];
        int dst = start;
        for (int row = 0; row < count; row += inner)
        {
            if (innerStep == 1) x.Slice(row, inner).CopyTo(y.Slice(dst, inner));
            else for (int j = 0; j < inner; j++) y[dst + j * innerStep] = x[row + j];
            dst = NextRow(coord, xShape, step, dst);
        }
    }

    /// <summary>y = x repeated along each axis: <c>y[i] = x[i mod xShape]</c> (<c>tf.tile</c>).</summary>
    public static void Tile<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> y, ReadOnlySpan<int> yShape)
        where T : unmanaged
    {
        int rank = yShape.Length, count = Count(yShape);
        if (count == 0) return;
        if (rank == 0)
        {
            y[0] = x[0];
            return;
        }
        Span<int> xStride = stackalloc int[rank];
        int s = 1;
        for (int a = rank - 1; a >= 0; a--)
        {
            xStride[a] = s;
            s *= xShape[a];
        }
        int inner = xShape[rank - 1];
        Span<int> coord = stackalloc int[rank];
        // One row of x is copied per output row segment; the row index walks the outer axes modulo x.
        for (int i = 0; i < count; i += inner)
        {
            int src = 0;
            for (int a = 0; a < rank - 1; a++) src += coord[a] % xShape[a] * xStride[a];
            x.Slice(src, inner).CopyTo(y.Slice(i, inner));
            for (int a = rank - 1; a >= 0; a--)
            {
                coord[a] += a == rank - 1 ? inner : 1;
                if (coord[a] < yShape[a]) break;
                coord[a] = 0;
            }
        }
    }

    /// <summary>
    /// <c>tf.gather</c>: params is <paramref name="outer"/> × <paramref name="size"/> × <paramref name="inner"/>;
    /// output[o, j, :] = params[o, indices[j], :].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, size); the message names it and its position.</exception>
    public static void Gather<T, TIndex>(ReadOnlySpan<T> @params, int outer, int size, int inner, ReadOnlySpan<TIndex> indices, Span<T> output)
        where T : unmanaged
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        if (typeof(T) == typeof(float) && typeof(TIndex) == typeof(int) && outer == 1 && inner > 0)
        {
            // Embedding lookups: the bounds-checked row gather kernel.
            Kernels.Gather.Rows(MemoryMarshal.Cast<T, float>(@params), inner, MemoryMarshal.Cast<TIndex, int>(indices), MemoryMarshal.Cast<T, float>(output));
            return;
        }
        int n = indices.Length;
        for (int j = 0; j < n; j++) CheckIndex(indices, j, size, "gather");
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < n; j++)
            {
                int id = int.CreateTruncating(indices[j]);
                @params.Slice((o * size + id) * inner, inner).CopyTo(output.Slice((o * n + j) * inner, inner));
            }
    }

    /// <summary>
    /// table[ids[i], :] += values[i, :] for each i (rows of <paramref name="rowLength"/>), repeated ids
    /// accumulating: the dense form of a sparse_rows gradient, on a table the caller zeroed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the table; nothing is written then.</exception>
    public static void ScatterAddRows<T, TIndex>(ReadOnlySpan<T> values, int rowLength, ReadOnlySpan<TIndex> ids, Span<T> table)
        where T : unmanaged, INumber<T>
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        if (rowLength == 0 || ids.Length == 0) return;
        if (typeof(T) == typeof(float) && typeof(TIndex) == typeof(int))
        {
            Kernels.Gather.ScatterAddRows(MemoryMarshal.Cast<T, float>(values), rowLength, MemoryMarshal.Cast<TIndex, int>(ids), MemoryMarshal.Cast<T, float>(table), 1f);
            return;
        }
        int rows = table.Length / rowLength;
        for (int i = 0; i < ids.Length; i++) CheckIndex(ids, i, rows, "sparse_rows");
        for (int i = 0; i < ids.Length; i++)
        {
            var dst = table.Slice(int.CreateTruncating(ids[i]) * rowLength, rowLength);
            var src = values.Slice(i * rowLength, rowLength);
            for (int c = 0; c < rowLength; c++) dst[c] += src[c];
        }
    }

    /// <summary>
    /// <c>tf.one_hot</c>: indices is <paramref name="outer"/> × <paramref name="inner"/>, y is
    /// outer × depth × inner with <paramref name="on"/> where the position equals the index.
    /// Indices outside [0, depth) give all <paramref name="off"/>, as in TensorFlow.
    /// </summary>
    public static void OneHot<T, TIndex>(ReadOnlySpan<TIndex> indices, int outer, int depth, int inner, T on, T off, Span<T> y)
        where T : unmanaged
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        y.Slice(0, outer * depth * inner).Fill(off);
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < inner; k++)
            {
                long id = long.CreateTruncating(indices[o * inner + k]);
                if (id >= 0 && id < depth) y[(o * depth + (int)id) * inner + k] = on;
            }
    }

    /// <summary>
    /// Batched c = op(a) · op(b) over the last two axes, with NumPy broadcasting of the batch axes
    /// (<paramref name="aBatch"/>, <paramref name="bBatch"/> broadcast to <paramref name="cBatch"/>).
    /// Float32 batches that are full or shared go to the batched SIMD GEMM in one call; a shared b with an
    /// untransposed a is one GEMM over all the items' rows.
    /// </summary>
    public static void BatchMatMul<T>(bool transA, bool transB, ReadOnlySpan<int> aBatch, ReadOnlySpan<int> bBatch, ReadOnlySpan<int> cBatch,
        int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c)
        where T : unmanaged, INumber<T>
    {
        int batch = Count(cBatch), aCount = Count(aBatch), bCount = Count(bBatch);
        int aSize = m * k, bSize = k * n, cSize = m * n;
        if (batch == 0 || cSize == 0) return;
        if (k == 0)
        {
            c.Slice(0, batch * cSize).Clear();
            return;
        }
        if (!transA && aCount == batch && bCount == 1)
        {
            // One b for every item (x:[batch, n, d] · W:[d, k]): the items of a and c stack as rows, one GEMM.
            MatMul(false, transB, batch * m, n, k, a, b, c);
            return;
        }
        if (typeof(T) == typeof(float) && (aCount == batch || aCount == 1) && (bCount == batch || bCount == 1))
        {
            // A stride of 0 shares one matrix across the batch.
            Kernels.Gemm.BatchedSgemm(transA, transB, batch, m, n, k, 1f,
                Cast(a), transA ? m : k, aCount == 1 ? 0 : aSize,
                Cast(b), transB ? k : n, bCount == 1 ? 0 : bSize,
                0f, MemoryMarshal.Cast<T, float>(c), n, cSize);
            return;
        }
        for (int item = 0; item < batch; item++)
        {
            int ai = BroadcastSource(item, cBatch, aBatch), bi = BroadcastSource(item, cBatch, bBatch);
            MatMul(transA, transB, m, n, k, a.Slice(ai * aSize, aSize), b.Slice(bi * bSize, bSize), c.Slice(item * cSize, cSize));
        }
    }

    /// <summary>The flat index into <paramref name="small"/> of element <paramref name="index"/> of <paramref name="big"/> that it broadcasts to.</summary>
    private static int BroadcastSource(int index, ReadOnlySpan<int> big, ReadOnlySpan<int> small)
    {
        int result = 0, stride = 1, offset = big.Length - small.Length;
        for (int a = big.Length - 1; a >= 0; a--)
        {
            int coord = index % big[a];
            index /= big[a];
            int sa = a - offset;
            if (sa < 0) continue;
            if (small[sa] != 1) result += coord * stride;
            stride *= small[sa];
        }
        return result;
    }

    /// <summary>
    /// Resolves a strided window of <paramref name="window"/> inside <paramref name="big"/>: returns the
    /// offset of its first element and fills <paramref name="step"/> with each axis' step in big's elements.
    /// </summary>
    internal static int WindowStart(ReadOnlySpan<int> big, ReadOnlySpan<int> begin, ReadOnlySpan<int> strides, ReadOnlySpan<int> window, Span<int> step, string op)
    {
        int start = 0, stride = 1;
        for (int a = big.Length - 1; a >= 0; a--)
        {
            int b = begin[a] < 0 ? begin[a] + big[a] : begin[a];
            long last = b + (long)(window[a] - 1) * strides[a];
            if (b < 0 || b >= big[a] || last < 0 || last >= big[a])
                throw new ArgumentOutOfRangeException(nameof(begin), $"{op}: on axis {a} the window of {window[a]} elements from {begin[a]} with stride {strides[a]} leaves the dimension of size {big[a]}.");
            start += b * stride;
            step[a] = strides[a] * stride;
            stride *= big[a];
        }
        return start;
    }

    /// <summary>Advances the outer coordinates (all axes but the last) of a window walk by one row; returns the new offset.</summary>
    private static int NextRow(Span<int> coord, ReadOnlySpan<int> shape, ReadOnlySpan<int> step, int offset)
    {
        for (int a = shape.Length - 2; a >= 0; a--)
        {
            coord[a]++;
            offset += step[a];
            if (coord[a] < shape[a]) return offset;
            offset -= step[a] * coord[a];
            coord[a] = 0;
        }
        return offset;
    }

    private static void CheckIndex<TIndex>(ReadOnlySpan<TIndex> indices, int position, int size, string op)
        where TIndex : unmanaged, IBinaryInteger<TIndex>
    {
        long id = long.CreateTruncating(indices[position]);
        if (id < 0 || id >= size)
            throw new ArgumentOutOfRangeException(nameof(indices), id, $"{op}: indices[{position}] = {id} is outside [0, {size}) (valid ids are 0..{size - 1}).");
    }
}
