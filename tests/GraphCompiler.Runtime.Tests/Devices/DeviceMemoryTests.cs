using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Runtime.Tests.Devices;

[Collection(IlgpuCpuCollection.Name)]
public class DeviceMemoryTests(IlgpuCpuFixture fixture)
{
    private static DeviceMemoryPlan Plan() => DeviceMemoryPlan.Layout(
        [("w", DType.Float32, 5), ("w_copy", DType.Float32, 5), ("d", DType.Float64, 3), ("n", DType.Int32, 4),
         ("step", DType.Int64, 1), ("mask", DType.Bool, 3), ("none", DType.Float32, 0)],
        [new DeviceRegion("x", DType.Float32, 0, 7, false)]);

    [Fact]
    public void Every_dtype_copies_in_and_out_unchanged_and_starts_at_zero()
    {
        using var memory = new DeviceMemory(fixture.Device.Accelerator, Plan());
        var zeros = new float[7];
        memory.CopyOut<float>("x", zeros);
        Assert.All(zeros, v => Assert.Equal(0f, v));

        memory.CopyIn<float>("w", [1.5f, -2, float.NaN, 4, 5]);
        memory.CopyIn<double>("d", [1e300, -0.0, 3]);
        memory.CopyIn<int>("n", [int.MinValue, 0, 7, int.MaxValue]);
        memory.CopyIn<long>("step", [1L << 40]);
        memory.CopyIn<bool>("mask", [true, false, true]);
        memory.CopyIn<float>("none", []);

        var w = new float[5];
        var d = new double[3];
        var n = new int[4];
        var step = new long[1];
        var mask = new bool[3];
        memory.CopyOut<float>("w", w);
        memory.CopyOut<double>("d", d);
        memory.CopyOut<int>("n", n);
        memory.CopyOut<long>("step", step);
        memory.CopyOut<bool>("mask", mask);
        Assert.Equal([1.5f, -2, float.NaN, 4, 5], w);
        Assert.Equal([1e300, -0.0, 3], d);
        Assert.Equal([int.MinValue, 0, 7, int.MaxValue], n);
        Assert.Equal(1L << 40, step[0]);
        Assert.Equal([true, false, true], mask);
    }

    [Fact]
    public void Device_to_device_copies_and_views_address_the_region()
    {
        using var memory = new DeviceMemory(fixture.Device.Accelerator, Plan());
        memory.CopyIn<float>("w", [1, 2, 3, 4, 5]);
        memory.Copy("w", "w_copy");
        var copy = new float[5];
        memory.CopyOut<float>("w_copy", copy);
        Assert.Equal([1f, 2, 3, 4, 5], copy);

        var view = memory.View<float>("w_copy");
        Assert.Equal(5, view.Length);
        Assert.Equal(3, memory.View<byte>("mask").Length);
        Assert.Throws<ArgumentException>(() => memory.View<int>("w"));
        Assert.Throws<ArgumentException>(() => memory.View<bool>("mask"));
    }

    [Fact]
    public void Wrong_lengths_and_mismatched_copies_are_refused()
    {
        using var memory = new DeviceMemory(fixture.Device.Accelerator, Plan());
        var error = Assert.Throws<ArgumentException>(() => memory.CopyIn<float>("w", [1, 2]));
        Assert.Contains("'w' holds 5 Float32 elements", error.Message);
        Assert.Throws<ArgumentException>(() => memory.CopyOut<float>("w", new float[6]));
        Assert.Throws<ArgumentException>(() => memory.Copy("w", "x"));
    }

    [Fact]
    public void Allocating_a_new_plan_keeps_the_variables_and_frees_nothing_they_need()
    {
        using var device = DeviceContext.Open(Device.IlgpuCpu());
        device.Allocate(DeviceMemoryPlan.Layout([("w", DType.Float32, 3)], [new DeviceRegion("x", DType.Float32, 0, 2, false)]));
        device.Memory.CopyIn<float>("w", [7, 8, 9]);

        var bigger = device.Allocate(DeviceMemoryPlan.Layout([("w", DType.Float32, 3)], [new DeviceRegion("x", DType.Float32, 0, 4000, false)]));
        var w = new float[3];
        bigger.CopyOut<float>("w", w);
        Assert.Equal([7f, 8, 9], w);
        Assert.Same(bigger, device.Memory);
        Assert.True(bigger.AllocatedBytes >= 4003 * sizeof(float));
    }
}
