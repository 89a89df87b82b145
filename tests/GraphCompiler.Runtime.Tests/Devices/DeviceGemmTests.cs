using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Tests.Kernels;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Tests.Devices;

[Collection(IlgpuCpuCollection.Name)]
public class DeviceGemmTests(IlgpuCpuFixture fixture)
{
    [Theory]
    [InlineData(AcceleratorType.Cuda, GemmBackend.CuBlas)]
    [InlineData(AcceleratorType.CPU, GemmBackend.IlgpuBlocked)]
    [InlineData(AcceleratorType.OpenCL, GemmBackend.IlgpuTiled)]
    public void Cublas_on_cuda_the_barrier_free_kernel_on_the_cpu_accelerator_tiles_elsewhere(AcceleratorType accelerator, GemmBackend expected)
    {
        Assert.Equal(expected, DeviceGemm.Choose(accelerator));
    }

    [Fact]
    public void The_cpu_accelerator_gets_the_barrier_free_kernel_and_the_tiled_one_fits_its_groups()
    {
        Assert.Equal(GemmBackend.IlgpuBlocked, Assert.IsType<IlgpuBlockedGemm>(fixture.Device.Gemm).Backend);
        var tiled = new IlgpuGemm(fixture.Device);
        Assert.Equal(GemmBackend.IlgpuTiled, tiled.Backend);
        Assert.True(tiled.Tile * tiled.Tile <= fixture.Device.Accelerator.MaxNumThreadsPerGroup);
        Assert.True(tiled.Tile > 1);
    }

    // Both ILGPU kernels run here: the blocked one is what the CPU accelerator uses, the tiled one what
    // OpenCL GPUs use (its barriers are slow on this accelerator but correct).
    [Theory]
    [InlineData(false, false, 37, 29, 23, 1.0, 0.0)]
    [InlineData(true, false, 17, 9, 33, 0.5, 1.0)]
    [InlineData(false, true, 8, 16, 8, -1.0, 0.25)]
    [InlineData(true, true, 21, 5, 19, 2.0, -1.0)]
    [InlineData(false, false, 1, 1, 1, 1.0, 0.0)]
    [InlineData(true, true, 1, 13, 1, 1.0, 1.0)]
    [InlineData(false, true, 3, 1, 40, 1.0, 0.5)]
    [InlineData(true, false, 5, 7, 1, 1.0, 0.0)]
    [InlineData(false, false, 2, 3, 3, 1.0, 0.0)]
    [InlineData(false, true, 32, 64, 64, 1.0, 0.0)]
    [InlineData(true, false, 64, 10, 32, 1.0, 1.0)]
    public void Matches_the_reference_on_random_and_edge_shapes(bool transA, bool transB, int m, int n, int k, double alpha, double beta)
    {
        var rng = new Random(m * 1000 + n * 10 + k);
        var a = TestData.Floats(rng, m * k);
        var b = TestData.Floats(rng, k * n);
        var c = TestData.Floats(rng, m * n);
        var expected = GemmTests.Reference(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);

        foreach (var gemm in Kernels())
            GemmTests.AssertClose(expected, Run(transA, transB, m, n, k, (float)alpha, a, b, (float)beta, c, gemm), k, $"{gemm.Backend} tA={transA} tB={transB} {m}x{n}x{k}");
    }

    [Fact]
    public void An_empty_inner_dimension_scales_c_by_beta()
    {
        foreach (var gemm in Kernels())
            Assert.Equal([1.5f, -3, 4.5f, 6], Run(false, false, 2, 2, 0, 1f, [], [], 1.5f, [1, -2, 3, 4], gemm));
    }

    [Fact]
    public void Beta_zero_overwrites_c_even_when_it_holds_nan()
    {
        foreach (var gemm in Kernels())
            Assert.Equal([6f, 8f], Run(false, false, 1, 2, 1, 1f, [2], [3, 4], 0f, [float.NaN, float.PositiveInfinity], gemm));
    }

    [Fact]
    public void Empty_outputs_launch_nothing_and_short_views_are_refused()
    {
        using var a = fixture.Upload(new float[5]);
        using var c = fixture.Upload(new float[4]);
        foreach (var gemm in Kernels())
        {
            Assert.Empty(Run(false, false, 0, 5, 3, 1f, [], TestData.Floats(new Random(1), 15), 0f, [], gemm));
            Assert.Empty(Run(false, true, 3, 0, 4, 1f, TestData.Floats(new Random(2), 12), [], 0f, [], gemm));
            Assert.Throws<ArgumentException>(() => gemm.Gemm(false, false, 2, 2, 3, 1f,
                IlgpuCpuFixture.View(a, 5), IlgpuCpuFixture.View(a, 5), 0f, IlgpuCpuFixture.View(c, 4)));
        }
    }

    private IDeviceGemm[] Kernels() => [fixture.Device.Gemm, new IlgpuGemm(fixture.Device)];

    private float[] Run(bool transA, bool transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c, IDeviceGemm gemm)
    {
        using var da = fixture.Upload(a);
        using var db = fixture.Upload(b);
        using var dc = fixture.Upload(c);
        gemm.Gemm(transA, transB, m, n, k, alpha,
            IlgpuCpuFixture.View(da, a.Length), IlgpuCpuFixture.View(db, b.Length), beta, IlgpuCpuFixture.View(dc, c.Length));
        return fixture.Download(dc, c.Length);
    }
}
