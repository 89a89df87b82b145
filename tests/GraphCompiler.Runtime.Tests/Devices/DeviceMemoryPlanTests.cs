using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Runtime.Tests.Devices;

public class DeviceMemoryPlanTests
{
    [Fact]
    public void Layout_packs_variables_per_dtype_aligned_then_the_arena_after_them()
    {
        var plan = DeviceMemoryPlan.Layout(
            [("w", DType.Float32, 3), ("step", DType.Int64, 1), ("b", DType.Float32, 5)],
            [new DeviceRegion("h", DType.Float32, 0, 10, false), new DeviceRegion("g", DType.Float32, 4, 10, false)]);

        Assert.Equal(0, plan["w"].Offset);
        Assert.Equal(64, plan["b"].Offset); // 256 bytes of float32
        Assert.Equal(0, plan["step"].Offset);
        Assert.Equal(128, plan["h"].Offset);
        Assert.Equal(132, plan["g"].Offset);
        Assert.False(plan["g"].Persistent);
        Assert.True(plan["w"].Persistent);
        Assert.Equal(142, plan.Length(DType.Float32));
        Assert.Equal(1, plan.Length(DType.Int64));
        Assert.Equal(0, plan.Length(DType.Bool));
    }

    [Fact]
    public void A_variable_overlapping_another_region_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new DeviceMemoryPlan([
            new DeviceRegion("w", DType.Float32, 0, 8, true),
            new DeviceRegion("tmp", DType.Float32, 7, 2, false)]));
        Assert.Contains("'w' [0, 8)", error.Message);
        Assert.Contains("'tmp' [7, 9)", error.Message);
    }

    [Fact]
    public void Arena_regions_may_share_memory_and_other_dtypes_never_collide()
    {
        var plan = new DeviceMemoryPlan([
            new DeviceRegion("a", DType.Float32, 0, 8, false),
            new DeviceRegion("b", DType.Float32, 2, 8, false),
            new DeviceRegion("n", DType.Int32, 0, 8, true)]);
        Assert.Equal(10, plan.Length(DType.Float32));
    }

    [Fact]
    public void Duplicate_names_negative_ranges_and_unknown_names_are_errors()
    {
        Assert.Throws<ArgumentException>(() => new DeviceMemoryPlan([
            new DeviceRegion("a", DType.Float32, 0, 1, true), new DeviceRegion("a", DType.Int32, 0, 1, true)]));
        Assert.Throws<ArgumentException>(() => new DeviceMemoryPlan([new DeviceRegion("a", DType.Float32, -1, 1, true)]));
        var missing = Assert.Throws<KeyNotFoundException>(() => new DeviceMemoryPlan([new DeviceRegion("a", DType.Float32, 0, 1, true)])["b"]);
        Assert.Contains("it has: a", missing.Message);
    }
}
