using GraphCompiler.Runtime.Tests.Kernels;

namespace GraphCompiler.Runtime.Tests.Devices;

[Collection(IlgpuCpuCollection.Name)]
public class RowReductionsTests(IlgpuCpuFixture fixture)
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 64)]
    [InlineData(2, 301)]
    [InlineData(9, 2)]
    public void Sum_and_max_match_the_reference_per_row(int rows, int cols)
    {
        var x = TestData.Floats(new Random(rows * 31 + cols), rows * cols, scale: 10f);
        var (sum, max) = Run(x, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * cols, cols).ToArray();
            Assert.Equal(row.Sum(v => (double)v), sum[r], 1e-6 * cols * 10);
            Assert.Equal(row.Max(), max[r]);
        }
    }

    [Fact]
    public void Empty_rows_give_the_identities_and_no_rows_launch_nothing()
    {
        var (sum, max) = Run([], 3, 0);
        Assert.Equal([0f, 0f, 0f], sum);
        Assert.All(max, v => Assert.Equal(float.NegativeInfinity, v));
        Assert.Empty(Run([], 0, 5).Sum);
    }

    [Fact]
    public void Max_keeps_negative_rows_and_infinities()
    {
        var (_, max) = Run([-3, -1, -2, float.NegativeInfinity, 1, float.PositiveInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity], 3, 3);
        Assert.Equal([-1f, float.PositiveInfinity, float.NegativeInfinity], max);
    }

    [Fact]
    public void A_nan_in_a_row_gives_nan_and_returns()
    {
        // ILGPU.Algorithms' group reduction spins forever on NaN on the CPU accelerator; ours must not.
        var (sum, max) = Run([1, float.NaN, 2, 3, 4, 5], 2, 3);
        Assert.True(float.IsNaN(sum[0]) && float.IsNaN(max[0]));
        Assert.Equal(12f, sum[1]);
        Assert.Equal(5f, max[1]);
    }

    private (float[] Sum, float[] Max) Run(float[] x, int rows, int cols)
    {
        using var input = fixture.Upload(x);
        using var sums = fixture.Upload(new float[rows]);
        using var maxima = fixture.Upload(new float[rows]);
        fixture.Device.Reductions.Sum(IlgpuCpuFixture.View(input, x.Length), rows, cols, IlgpuCpuFixture.View(sums, rows));
        fixture.Device.Reductions.Max(IlgpuCpuFixture.View(input, x.Length), rows, cols, IlgpuCpuFixture.View(maxima, rows));
        return (fixture.Download(sums, rows), fixture.Download(maxima, rows));
    }
}
