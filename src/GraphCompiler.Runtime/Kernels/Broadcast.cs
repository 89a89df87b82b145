using System.Numerics.Tensors;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// NumPy broadcasting of row-major tensors: shapes are aligned on the right, and each dim of the small
/// shape must equal the big one's or be 1 (missing leading dims count as 1).
/// </summary>
/// <remarks>
/// Both directions first simplify the pair of shapes (size-1 output dims dropped; neighbouring dims merged
/// when both are broadcast or both contiguous), then recurse over what is left. A broadcast dim is
/// produced once and then copied, so expanding is a sequence of block copies and fills.
/// </remarks>
public static class Broadcast
{
    /// <summary>y = x broadcast to <paramref name="yShape"/> (<c>tf.broadcast_to</c>). Gradient: <see cref="SumTo"/>.</summary>
    /// <exception cref="ArgumentException">The shapes are not broadcast-compatible, or a span has the wrong length.</exception>
    public static void To<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> xShape, Span<T> y, ReadOnlySpan<int> yShape)
        where T : unmanaged
    {
        Span<int> dims = stackalloc int[TensorShapes.MaxRank];
        Span<int> smallStrides = stackalloc int[TensorShapes.MaxRank];
        int r = Plan(xShape, x.Length, "x", "xShape", yShape, y.Length, "y", "yShape", dims, smallStrides);
        if (r < 0) return; // empty output
        Span<int> bigStrides = stackalloc int[TensorShapes.MaxRank];
        TensorShapes.RowMajorStrides(dims[..r], bigStrides);
        Expand(x, y, dims[..r], smallStrides[..r], bigStrides[..r], 0, 0, 0);
    }

    /// <summary>y = x broadcast to <paramref name="yShape"/>, for float tensors.</summary>
    public static void To(ReadOnlySpan<float> x, ReadOnlySpan<int> xShape, Span<float> y, ReadOnlySpan<int> yShape) =>
        To<float>(x, xShape, y, yShape);

    /// <summary>
    /// The reverse of <see cref="To{T}"/>: y = x summed over every dim along which <paramref name="yShape"/>
    /// broadcasts to <paramref name="xShape"/> — the gradient of broadcasting.
    /// </summary>
    public static void SumTo(ReadOnlySpan<float> x, ReadOnlySpan<int> xShape, Span<float> y, ReadOnlySpan<int> yShape)
    {
        Span<int> dims = stackalloc int[TensorShapes.MaxRank];
        Span<int> smallStrides = stackalloc int[TensorShapes.MaxRank];
        int r = Plan(yShape, y.Length, "y", "yShape", xShape, x.Length, "x", "xShape", dims, smallStrides);
        y.Clear();
        if (r < 0) return;
        Span<int> bigStrides = stackalloc int[TensorShapes.MaxRank];
        TensorShapes.RowMajorStrides(dims[..r], bigStrides);
        Accumulate(x, y, dims[..r], smallStrides[..r], bigStrides[..r], 0, 0, 0, Reduce.UseSimd());
    }

    /// <summary>
    /// Checks that <paramref name="smallShape"/> broadcasts to <paramref name="bigShape"/> and the spans fit,
    /// then writes the simplified big dims and the small tensor's stride along each (0 where broadcast).
    /// Returns the simplified rank, or −1 when the big tensor is empty.
    /// </summary>
    private static int Plan(ReadOnlySpan<int> smallShape, int smallLength, string smallName, string smallShapeName,
        ReadOnlySpan<int> bigShape, int bigLength, string bigName, string bigShapeName, Span<int> dims, Span<int> smallStrides)
    {
        int rank = bigShape.Length;
        if (rank > TensorShapes.MaxRank)
            throw new ArgumentException($"Broadcast supports rank up to {TensorShapes.MaxRank}, got {TensorShapes.Format(bigShape)}.", bigShapeName);
        if (smallShape.Length > rank)
            throw new ArgumentException($"Cannot broadcast {smallName} of shape {TensorShapes.Format(smallShape)} to " +
                $"{TensorShapes.Format(bigShape)}: it has more dimensions.", smallShapeName);
        int smallCount = TensorShapes.ElementCount(smallShape, smallShapeName);
        int bigCount = TensorShapes.ElementCount(bigShape, bigShapeName);
        if (smallLength != smallCount)
            throw new ArgumentException($"{smallName} has {smallLength} elements but shape {TensorShapes.Format(smallShape)} needs {smallCount}.", smallName);
        if (bigLength != bigCount)
            throw new ArgumentException($"{bigName} has {bigLength} elements but shape {TensorShapes.Format(bigShape)} needs {bigCount}.", bigName);

        int lead = rank - smallShape.Length;
        Span<int> ownStrides = stackalloc int[TensorShapes.MaxRank];
        TensorShapes.RowMajorStrides(smallShape, ownStrides);
        for (int d = 0; d < rank; d++)
        {
            int s = d < lead ? 1 : smallShape[d - lead];
            if (s != 1 && s != bigShape[d])
                throw new ArgumentException($"Cannot broadcast shape {TensorShapes.Format(smallShape)} to {TensorShapes.Format(bigShape)}: " +
                    $"dimension {d} is {s} where {bigShape[d]} (or 1) is needed.", smallShapeName);
        }

        if (bigCount == 0) return -1;

        int r = 0;
        for (int d = 0; d < rank; d++)
        {
            int size = bigShape[d];
            if (size == 1) continue;
            int s = d < lead ? 1 : smallShape[d - lead];
            int stride = s == 1 ? 0 : ownStrides[d - lead];
            // Merge with the previous dim when both broadcast, or both walk the small tensor contiguously.
            if (r > 0 && ((stride == 0 && smallStrides[r - 1] == 0) ||
                          (stride != 0 && smallStrides[r - 1] == stride * size)))
            {
                dims[r - 1] *= size;
                smallStrides[r - 1] = stride;
                continue;
            }

            dims[r] = size;
            smallStrides[r] = stride;
            r++;
        }

        if (r == 0)
        {
            dims[0] = 1;
            smallStrides[0] = 1;
            r = 1;
        }

        return r;
    }

    private static void Expand<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<int> dims, ReadOnlySpan<int> xStrides,
        ReadOnlySpan<int> yStrides, int level, int xOff, int yOff) where T : unmanaged
    {
        int n = dims[level], xs = xStrides[level];
        if (level == dims.Length - 1)
        {
            var run = y.Slice(yOff, n);
            if (xs == 0) run.Fill(x[xOff]);
            else if (xs == 1) x.Slice(xOff, n).CopyTo(run);
            else for (int i = 0; i < n; i++) run[i] = x[xOff + i * xs];
            return;
        }

        int block = yStrides[level];
        if (xs == 0)
        {
            // Produce the slice once, then replicate it by doubling copies.
            Expand(x, y, dims, xStrides, yStrides, level + 1, xOff, yOff);
            int done = 1;
            while (done < n)
            {
                int copy = Math.Min(done, n - done);
                y.Slice(yOff, copy * block).CopyTo(y.Slice(yOff + done * block, copy * block));
                done += copy;
            }

            return;
        }

        for (int i = 0; i < n; i++)
            Expand(x, y, dims, xStrides, yStrides, level + 1, xOff + i * xs, yOff + i * block);
    }

    private static void Accumulate(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<int> dims, ReadOnlySpan<int> yStrides,
        ReadOnlySpan<int> xStrides, int level, int xOff, int yOff, bool simd)
    {
        int n = dims[level], ys = yStrides[level];
        if (level == dims.Length - 1)
        {
            var run = x.Slice(xOff, n);
            if (ys == 0) y[yOff] += (float)Reduce.SumContiguous(run, simd);
            else if (ys == 1) TensorPrimitives.Add(y.Slice(yOff, n), run, y.Slice(yOff, n));
            else for (int i = 0; i < n; i++) y[yOff + i * ys] += run[i];
            return;
        }

        int block = xStrides[level];
        if (level == dims.Length - 2 && yStrides[level + 1] == 0 && dims[level + 1] < 16)
        {
            // Rows shorter than a vector summed to one value each (per-example sums of a few logits), in
            // one loop here rather than one recursion level per row.
            int inner = dims[level + 1];
            for (int i = 0; i < n; i++) y[yOff + i * ys] += (float)Reduce.SumContiguous(x.Slice(xOff + i * block, inner), simd);
            return;
        }
        for (int i = 0; i < n; i++)
            Accumulate(x, y, dims, yStrides, xStrides, level + 1, xOff + i * block, yOff + i * ys, simd);
    }
}
