using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Tests.Devices;

[Collection(IlgpuCpuCollection.Name)]
public class KernelCacheTests(IlgpuCpuFixture fixture)
{
    private static void AddOne(Index1D i, ArrayView<float> x) => x[i] += 1f;

    [Fact]
    public void A_kernel_is_loaded_once_and_its_load_time_is_reported()
    {
        var kernels = fixture.Device.Kernels;
        int loadsBefore = kernels.Loads.Count;
        int compiles = 0;
        Action<Index1D, ArrayView<float>> Load(Accelerator accelerator, Action<Index1D, ArrayView<float>> kernel)
        {
            compiles++;
            return accelerator.LoadAutoGroupedStreamKernel(kernel);
        }

        var first = kernels.Load<Action<Index1D, ArrayView<float>>, Action<Index1D, ArrayView<float>>>(AddOne, Load);
        var second = kernels.Load<Action<Index1D, ArrayView<float>>, Action<Index1D, ArrayView<float>>>(AddOne, Load);

        Assert.Same(first, second);
        Assert.Equal(1, compiles);
        var load = Assert.Single(kernels.Loads.Skip(loadsBefore));
        Assert.Equal("KernelCacheTests.AddOne", load.Kernel);
        Assert.True(load.Elapsed > TimeSpan.Zero);
        Assert.Contains("KernelCacheTests.AddOne: ", kernels.Report());
        Assert.Contains("device ilgpu-cpu", fixture.Device.Report());

        using var buffer = fixture.Upload(new float[] { 1, 2, 3 });
        second(3, buffer.View);
        Assert.Equal([2f, 3, 4], fixture.Download(buffer, 3));
    }
}
