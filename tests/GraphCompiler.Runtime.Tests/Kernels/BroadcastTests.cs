using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

public class BroadcastTests
{
    /// <summary>The small tensor's flat index for each element of the big shape (NumPy rules).</summary>
    private static int[] SourceIndex(int[] small, int[] big)
    {
        int count = big.Aggregate(1, (a, b) => a * b);
        int lead = big.Length - small.Length;
        var result = new int[count];
        for (int i = 0; i < count; i++)
        {
            int rem = i, src = 0, stride = 1;
            for (int d = big.Length - 1; d >= 0; d--)
            {
                int c = rem % big[d];
                rem /= big[d];
                if (d >= lead)
                {
                    int s = small[d - lead];
                    if (s != 1) src += c * stride;
                    stride *= s;
                }
            }

            result[i] = src;
        }

        return result;
    }

    private static (int[] Small, int[] Big) RandomPair(System.Random rng)
    {
        int rank = rng.Next(0, 6);
        var big = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 6)).ToArray();
        int smallRank = rng.Next(0, rank + 1);
        var small = big[(rank - smallRank)..].Select(d => rng.Next(3) == 0 ? 1 : d).ToArray();
        return (small, big);
    }

    [Fact]
    public void To_matches_numpy_indexing_on_random_shapes()
    {
        var rng = new System.Random(31);
        for (int t = 0; t < 300; t++)
        {
            var (small, big) = RandomPair(rng);
            var x = TestData.Floats(rng, small.Aggregate(1, (a, b) => a * b));
            var y = new float[big.Aggregate(1, (a, b) => a * b)];
            Broadcast.To(x, small, y, big);
            var src = SourceIndex(small, big);
            for (int i = 0; i < y.Length; i++) Assert.Equal(x[src[i]], y[i]);
        }
    }

    [Fact]
    public void SumTo_is_the_adjoint_of_To()
    {
        var rng = new System.Random(32);
        for (int t = 0; t < 300; t++)
        {
            var (small, big) = RandomPair(rng);
            var x = TestData.Floats(rng, big.Aggregate(1, (a, b) => a * b));
            var y = new float[small.Aggregate(1, (a, b) => a * b)];
            y.AsSpan().Fill(123f); // must be overwritten, not accumulated into
            Broadcast.SumTo(x, big, y, small);
            var expected = new double[y.Length];
            var src = SourceIndex(small, big);
            for (int i = 0; i < x.Length; i++) expected[src[i]] += x[i];
            for (int i = 0; i < y.Length; i++) Assert.Equal(expected[i], y[i], 1e-4);
        }
    }

    [Fact]
    public void To_is_generic_and_handles_bias_rows()
    {
        var bias = new[] { 1, 2, 3 };
        var y = new int[12];
        Broadcast.To<int>(bias, [3], y, [4, 3]);
        Assert.Equal(new[] { 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3 }, y);
        var col = new int[12];
        Broadcast.To<int>(new[] { 7, 8, 9, 10 }, [4, 1], col, [4, 3]);
        Assert.Equal(new[] { 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10, 10 }, col);
    }

    [Fact]
    public void Empty_big_shape_sums_to_zero()
    {
        var y = new float[] { 5f, 5f };
        Broadcast.SumTo(ReadOnlySpan<float>.Empty, [0, 2], y, [2]);
        Assert.Equal(new float[2], y);
    }

    [Fact]
    public void Incompatible_shapes_are_rejected_with_the_dimension()
    {
        var e = Assert.Throws<ArgumentException>(() => Broadcast.To(new float[3], [3], new float[8], [2, 4]));
        Assert.Contains("dimension 1 is 3", e.Message);
        Assert.Throws<ArgumentException>(() => Broadcast.To(new float[6], [2, 3], new float[3], [3]));
        Assert.Throws<ArgumentException>(() => Broadcast.To(new float[2], [3], new float[6], [2, 3]));
        Assert.Throws<ArgumentException>(() => Broadcast.SumTo(new float[6], [2, 3], new float[2], [2]));
    }
}
