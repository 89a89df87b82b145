using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

public class TransposeTests
{
    /// <summary>y[i] = x[j] where output coordinate d equals input coordinate perm[d].</summary>
    private static T[] Naive<T>(T[] x, int[] shape, int[] perm)
    {
        int rank = shape.Length;
        var outShape = perm.Select(p => shape[p]).ToArray();
        var y = new T[x.Length];
        var inStrides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { inStrides[d] = s; s *= shape[d]; }
        var coord = new int[rank];
        for (int i = 0; i < y.Length; i++)
        {
            int rem = i, src = 0;
            for (int d = rank - 1; d >= 0; d--)
            {
                coord[d] = rem % outShape[d];
                rem /= outShape[d];
                src += coord[d] * inStrides[perm[d]];
            }

            y[i] = x[src];
        }

        return y;
    }

    [Fact]
    public void Random_shapes_and_permutations_match_naive_index_mapping()
    {
        var rng = new System.Random(21);
        for (int t = 0; t < 300; t++)
        {
            int rank = rng.Next(1, 7);
            var shape = Enumerable.Range(0, rank).Select(_ => rng.Next(0, 4) == 0 ? 1 : rng.Next(1, 9)).ToArray();
            var perm = Enumerable.Range(0, rank).OrderBy(_ => rng.Next()).ToArray();
            int count = shape.Aggregate(1, (a, b) => a * b);
            var x = TestData.Floats(rng, count);
            var y = new float[count];
            Transpose.Permute(x, y, shape, perm);
            Assert.Equal(Naive(x, shape, perm), y);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 70)]
    [InlineData(70, 1)]
    [InlineData(33, 65)]
    [InlineData(128, 96)]
    [InlineData(257, 31)]
    public void Matrix_transpose_with_tiling_matches_naive(int rows, int cols)
    {
        var rng = new System.Random(rows * 1000 + cols);
        var x = TestData.Floats(rng, rows * cols);
        var y = new float[x.Length];
        Transpose.Permute(x, y, [rows, cols], [1, 0]);
        Assert.Equal(Naive(x, [rows, cols], [1, 0]), y);

        // Batched matrices (perm [0, 2, 1]) take the same tiled path per batch.
        var xb = TestData.Floats(rng, 3 * rows * cols);
        var yb = new float[xb.Length];
        Transpose.Permute(xb, yb, [3, rows, cols], [0, 2, 1]);
        Assert.Equal(Naive(xb, [3, rows, cols], [0, 2, 1]), yb);
    }

    [Fact]
    public void Generic_over_element_type_and_rank_eight()
    {
        int[] shape = [2, 1, 3, 2, 1, 2, 2, 3];
        int[] perm = [7, 0, 5, 2, 4, 1, 6, 3];
        int count = shape.Aggregate(1, (a, b) => a * b);
        var x = Enumerable.Range(0, count).Select(i => (long)i * 7).ToArray();
        var y = new long[count];
        Transpose.Permute<long>(x, y, shape, perm);
        Assert.Equal(Naive(x, shape, perm), y);
    }

    [Fact]
    public void Empty_and_scalar_tensors()
    {
        Transpose.Permute(ReadOnlySpan<float>.Empty, Span<float>.Empty, [0, 3], [1, 0]);
        var y = new float[1];
        Transpose.Permute([5f], y, [], []);
        Assert.Equal(5f, y[0]);
    }

    [Fact]
    public void Bad_permutations_and_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Transpose.Permute(new float[6], new float[6], [2, 3], [0, 0]));
        Assert.Contains("not a permutation", e.Message);
        Assert.Throws<ArgumentException>(() => Transpose.Permute(new float[6], new float[6], [2, 3], [0]));
        Assert.Throws<ArgumentException>(() => Transpose.Permute(new float[6], new float[6], [2, 3], [0, 2]));
        var e2 = Assert.Throws<ArgumentException>(() => Transpose.Permute(new float[5], new float[6], [2, 3], [1, 0]));
        Assert.Contains("needs 6", e2.Message);
        Assert.Throws<ArgumentException>(() => Transpose.Permute(new float[1], new float[1], new int[9].Select(_ => 1).ToArray(), Enumerable.Range(0, 9).ToArray()));
    }
}
