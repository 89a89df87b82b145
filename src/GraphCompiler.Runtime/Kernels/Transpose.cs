using System.Runtime.CompilerServices;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Axis permutation of row-major tensors (<c>tf.transpose</c>): <c>y</c> has shape
/// <c>[shape[perm[0]], …, shape[perm[r-1]]]</c> and <c>y[i_0, …] = x[j]</c> with <c>j_perm[d] = i_d</c>.
/// Gradient: permute dy by the inverse permutation.
/// </summary>
/// <remarks>
/// The permutation is first simplified: size-1 axes are dropped and axes that stay adjacent and in order
/// are merged. What remains is a plain copy, a (batched) 2-D transpose done in cache-sized tiles, a
/// gather of contiguous rows, or a general strided walk.
/// </remarks>
public static class Transpose
{
    private const int Tile = 32;

    /// <summary>Permutes the axes of <paramref name="x"/> (shape <paramref name="shape"/>) into <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentException">The permutation is not one of the axes, or a span has the wrong length.</exception>
    public static void Permute(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm) =>
        Permute<float>(x, y, shape, perm);

    /// <inheritdoc cref="Permute(ReadOnlySpan{float}, Span{float}, ReadOnlySpan{int}, ReadOnlySpan{int})"/>
    public static void Permute<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm)
        where T : unmanaged
    {
        int rank = shape.Length;
        if (rank > TensorShapes.MaxRank)
            throw new ArgumentException($"Transpose supports rank up to {TensorShapes.MaxRank}, got shape {TensorShapes.Format(shape)}.", nameof(shape));
        if (perm.Length != rank)
            throw new ArgumentException($"Transpose permutation {TensorShapes.Format(perm)} has {perm.Length} axes but shape {TensorShapes.Format(shape)} has {rank}.", nameof(perm));
        Span<bool> seen = stackalloc bool[TensorShapes.MaxRank];
        for (int i = 0; i < rank; i++)
        {
            int p = perm[i];
            if ((uint)p >= (uint)rank || seen[p])
                throw new ArgumentException($"Transpose permutation {TensorShapes.Format(perm)} is not a permutation of 0..{rank - 1} (entry {i} is {p}).", nameof(perm));
            seen[p] = true;
        }

        int count = TensorShapes.ElementCount(shape, nameof(shape));
        if (x.Length != count)
            throw new ArgumentException($"Transpose input has {x.Length} elements but shape {TensorShapes.Format(shape)} needs {count}.", nameof(x));
        if (y.Length != count)
            throw new ArgumentException($"Transpose output has {y.Length} elements but needs {count}.", nameof(y));
        if (count == 0) return;

        // Simplify: output axis d reads input axis perm[d]. Drop size-1 axes, then merge output axes
        // d-1, d when they read consecutive input axes (their elements stay contiguous together).
        Span<int> inStrides = stackalloc int[TensorShapes.MaxRank];
        TensorShapes.RowMajorStrides(shape, inStrides);
        Span<int> dims = stackalloc int[TensorShapes.MaxRank];   // output dims, simplified
        Span<int> strides = stackalloc int[TensorShapes.MaxRank]; // input stride of each output dim
        int r = 0;
        for (int d = 0; d < rank; d++)
        {
            int axis = perm[d];
            int size = shape[axis];
            if (size == 1) continue;
            if (r > 0 && strides[r - 1] == size * inStrides[axis])
            {
                dims[r - 1] *= size;
                strides[r - 1] = inStrides[axis];
                continue;
            }

            dims[r] = size;
            strides[r] = inStrides[axis];
            r++;
        }

        if (r == 0 || (r == 1 && strides[0] == 1))
        {
            x.CopyTo(y);
            return;
        }

        if (strides[r - 1] == 1)
        {
            // The innermost output run is contiguous in x: copy runs.
            CopyRuns(x, y, dims[..r], strides[..r]);
            return;
        }

        if (r >= 2 && strides[r - 2] == 1)
        {
            // The last two output axes are a transposed matrix inside each "batch" of the outer axes.
            TiledBatches(x, y, dims[..r], strides[..r]);
            return;
        }

        Strided(x, y, dims[..r], strides[..r]);
    }

    /// <summary>Each output row (last dim) is a contiguous run of x.</summary>
    private static void CopyRuns<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides)
        where T : unmanaged
    {
        int r = dims.Length;
        int run = dims[r - 1];
        int rows = y.Length / run;
        Span<int> index = stackalloc int[TensorShapes.MaxRank];
        int src = 0;
        for (int row = 0; row < rows; row++)
        {
            x.Slice(src, run).CopyTo(y.Slice(row * run, run));
            src = Advance(index, dims[..(r - 1)], strides[..(r - 1)], src);
        }
    }

    /// <summary>
    /// Output [.., rows, cols] where the input stride of "rows" is 1: a 2-D transpose per outer index,
    /// done in Tile×Tile blocks so both the reads and the writes stay within a few cache lines.
    /// </summary>
    private static void TiledBatches<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides)
        where T : unmanaged
    {
        int r = dims.Length;
        int rows = dims[r - 2], cols = dims[r - 1];
        int colStride = strides[r - 1]; // input distance between consecutive output columns
        int plane = rows * cols;
        int batches = y.Length / plane;
        Span<int> index = stackalloc int[TensorShapes.MaxRank];
        int src = 0;
        for (int bIndex = 0; bIndex < batches; bIndex++)
        {
            var yb = y.Slice(bIndex * plane, plane);
            for (int i0 = 0; i0 < rows; i0 += Tile)
            {
                int iEnd = Math.Min(rows, i0 + Tile);
                for (int j0 = 0; j0 < cols; j0 += Tile)
                {
                    int jEnd = Math.Min(cols, j0 + Tile);
                    for (int i = i0; i < iEnd; i++)
                    {
                        ref T dst = ref yb[i * cols];
                        for (int j = j0; j < jEnd; j++) Unsafe.Add(ref dst, j) = x[src + i + j * colStride];
                    }
                }
            }

            src = Advance(index, dims[..(r - 2)], strides[..(r - 2)], src);
        }
    }

    /// <summary>The general case: walk y in order, stepping x by each axis's stride.</summary>
    private static void Strided<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides)
        where T : unmanaged
    {
        int r = dims.Length;
        int run = dims[r - 1], step = strides[r - 1];
        int rows = y.Length / run;
        Span<int> index = stackalloc int[TensorShapes.MaxRank];
        int src = 0;
        for (int row = 0; row < rows; row++)
        {
            var yr = y.Slice(row * run, run);
            for (int j = 0; j < run; j++) yr[j] = x[src + j * step];
            src = Advance(index, dims[..(r - 1)], strides[..(r - 1)], src);
        }
    }

    /// <summary>Odometer step over <paramref name="dims"/>; returns the new source offset.</summary>
    internal static int Advance(Span<int> index, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int offset)
    {
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            offset += strides[d];
            if (++index[d] < dims[d]) return offset;
            offset -= strides[d] * dims[d];
            index[d] = 0;
        }

        return offset;
    }
}
