using GraphCompiler.Runtime.Devices;
using ILGPU;
using ILGPU.Runtime;
using Device = GraphCompiler.Runtime.Devices.Device;
using GraphCompiler.Runtime.Tests.Kernels;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// ILGPU's CPU accelerator runs row kernels one thread per group unless the device asks for the GPU's
/// group shape; the same kernels must give the same answers either way.
/// </summary>
public class GroupShapeTests
{
    [Fact]
    public void The_cpu_accelerator_uses_one_thread_per_row_unless_asked_for_gpu_groups()
    {
        using var single = DeviceContext.Open(Device.IlgpuCpu());
        using var groups = DeviceContext.Open(Device.IlgpuCpu(gpuGroups: true));
        Assert.Equal(1, single.RowGroupSize);
        Assert.True(groups.RowGroupSize > 1, $"GPU-shaped groups have {groups.RowGroupSize} threads");
        Assert.True(groups.RowGroupSize <= groups.Accelerator.MaxNumThreadsPerGroup);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 33)]
    [InlineData(3, 0)]
    public void Row_reductions_agree_between_the_group_shapes(int rows, int cols)
    {
        var x = TestData.Floats(new Random(rows * 7 + cols), rows * cols, scale: 5f);
        var single = RowSums(Device.IlgpuCpu(), x, rows, cols);
        var groups = RowSums(Device.IlgpuCpu(gpuGroups: true), x, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            double expected = x.AsSpan(r * cols, cols).ToArray().Sum(v => (double)v);
            Assert.Equal(expected, single[r], 1e-5 * (cols + 1) * 5);
            Assert.Equal(expected, groups[r], 1e-5 * (cols + 1) * 5);
        }
    }

    [Fact]
    public void Flat_kernels_cover_every_element_with_single_thread_groups()
    {
        using var device = DeviceContext.Open(Device.IlgpuCpu());
        using var y = device.Accelerator.Allocate1D<float>(1001);
        device.Library.Fill(y.View, 2.5f);
        device.Synchronize();
        Assert.All(y.GetAsArray1D(), v => Assert.Equal(2.5f, v));
    }

    private static float[] RowSums(Device which, float[] x, int rows, int cols)
    {
        using var device = DeviceContext.Open(which);
        using var input = device.Accelerator.Allocate1D<float>(Math.Max(1, x.Length));
        using var output = device.Accelerator.Allocate1D<float>(Math.Max(1, rows));
        if (x.Length > 0) input.View.SubView(0, x.Length).CopyFromCPU(x);
        device.Reductions.Sum(input.View.SubView(0, x.Length), rows, cols, output.View.SubView(0, rows));
        device.Synchronize();
        return output.GetAsArray1D()[..rows];
    }
}
