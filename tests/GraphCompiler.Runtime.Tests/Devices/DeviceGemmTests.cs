using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Tests.Kernels;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Tests.Devices;

[Collection(IlgpuCpuCollection.Name)]
public class DeviceGemmTests(IlgpuCpuFixture fixture)
{
    [Theory]
    [InlineData(AcceleratorType.Cuda, GemmBackend.CuBlas)]
    [InlineData(AcceleratorType.CPU, GemmBackend.IlgpuTiled)]
    [InlineData(AcceleratorType.OpenCL, GemmBackend.IlgpuTiled)]
    public void Cublas_is_chosen_on_cuda_only(AcceleratorType accelerator, GemmBackend expected)
    {
        Assert.Equal(expected, DeviceGemm.Choose(accelerator));
    }

    [Fact]
    public void The_cpu_accelerator_gets_the_ilgpu_kernel_with_tiles_that_fit_a_group()
    {
        var gemm = Assert.IsType<IlgpuGemm>(fixture.Device.Gemm);
        Assert.Equal(GemmBackend.IlgpuTiled, gemm.Backend);
        Assert.True(gemm.Tile * gemm.Tile <= fixture.Device.Accelerator.MaxNumThreadsPerGroup);
        Assert.True(gemm.Tile > 1);
    }

    [Theory]
    [InlineData(false, false, 37, 29, 23, 1.0, 0.0)]
    [InlineData(true, false, 17, 9, 33, 0.5, 1.0)]
    [InlineData(false, true, 8, 16, 8, -1.0, 0.25)]
    [InlineData(true, true, 21, 5, 19, 2.0, -1.0)]
    [InlineData(false, false, 1, 1, 1, 1.0, 0.0)]
    [InlineData(true, true, 1, 13, 1, 1.0, 1.0)]
    [InlineData(false, true, 3, 1, 40, 1.0, 0.5)]
    public void Matches_the_reference_on_random_and_edge_shapes(bool transA, bool transB, int m, int n, int k, double alpha, double beta)
    {
        var rng = new Random(m * 1000 + n * 10 + k);
        var a = TestData.Floats(rng, m * k);
        var b = TestData.Floats(rng, k * n);
        var c = TestData.Floats(rng, m * n);
        var expected = GemmTests.Reference(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);

        GemmTests.AssertClose(expected, Run(transA, transB, m, n, k, (float)alpha, a, b, (float)beta, c), k, $"tA={transA} tB={transB} {m}x{n}x{k}");
    }

    [Fact]
    public void An_empty_inner_dimension_scales_c_by_beta()
    {
        Assert.Equal([1.5f, -3, 4.5f, 6], Run(false, false, 2, 2, 0, 1f, [], [], 1.5f, [1, -2, 3, 4]));
    }

    [Fact]
    public void Beta_zero_overwrites_c_even_when_it_holds_nan()
    {
        var result = Run(false, false, 1, 2, 1, 1f, [2], [3, 4], 0f, [float.NaN, float.PositiveInfinity]);
        Assert.Equal([6f, 8f], result);
    }

    [Fact]
    public void Empty_outputs_launch_nothing_and_short_views_are_refused()
    {
        Assert.Empty(Run(false, false, 0, 5, 3, 1f, [], TestData.Floats(new Random(1), 15), 0f, []));
        using var a = fixture.Upload(new float[5]);
        using var c = fixture.Upload(new float[4]);
        Assert.Throws<ArgumentException>(() => fixture.Device.Gemm.Gemm(false, false, 2, 2, 3, 1f,
            IlgpuCpuFixture.View(a, 5), IlgpuCpuFixture.View(a, 5), 0f, IlgpuCpuFixture.View(c, 4)));
    }

    private float[] Run(bool transA, bool transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c)
    {
        using var da = fixture.Upload(a);
        using var db = fixture.Upload(b);
        using var dc = fixture.Upload(c);
        fixture.Device.Gemm.Gemm(transA, transB, m, n, k, alpha,
            IlgpuCpuFixture.View(da, a.Length), IlgpuCpuFixture.View(db, b.Length), beta, IlgpuCpuFixture.View(dc, c.Length));
        return fixture.Download(dc, c.Length);
    }
}
