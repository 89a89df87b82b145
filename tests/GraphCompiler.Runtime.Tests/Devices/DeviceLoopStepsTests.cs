using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Tests.Kernels;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// A loop region's per-step data movement on the device against naive loops over the same layout: the step t
/// of a <c>[rows, time, inner]</c> sequence (a view in place for one row, gathered otherwise) and one step's
/// <c>[rows, width]</c> value stacked into <c>[rows, time, width]</c>, at rows 1, odd and 0, width 1 and odd,
/// the first and the last step; and the body's regions placed after every region of the entry in their dtype,
/// each loop of an entry at the same place.
/// </summary>
[Collection(IlgpuCpuCollection.Name)]
public class DeviceLoopStepsTests(IlgpuCpuFixture fixture)
{
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        // rows, time, inner, t
        { 3, 5, 4, 2 },
        { 1, 7, 3, 6 },
        { 5, 1, 1, 0 },
        { 2, 3, 7, 0 },
        { 0, 4, 3, 1 },
        { 4, 6, 1, 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_sequence_step_is_the_rows_of_step_t(int rows, int time, int inner, int t)
    {
        var sequence = TestData.Floats(new Random(rows * 100 + time * 10 + inner), rows * time * inner);
        var expected = new float[rows * inner];
        for (int b = 0; b < rows; b++)
            for (int i = 0; i < inner; i++) expected[b * inner + i] = sequence[(b * time + t) * inner + i];
        using var dSequence = fixture.Upload(sequence);
        using var dStep = fixture.Upload(new float[rows * inner]);
        using var dResult = fixture.Upload(new float[rows * inner]);
        var step = fixture.Device.Library.SequenceStep(IlgpuCpuFixture.View(dSequence, sequence.Length), IlgpuCpuFixture.View(dStep, rows * inner), rows, time, inner, t);
        Assert.Equal(rows * inner, step.Length);
        if (step.Length > 0) step.CopyTo(IlgpuCpuFixture.View(dResult, rows * inner));
        Assert.Equal(expected, fixture.Download(dResult, rows * inner));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_step_value_is_stacked_at_step_t_and_nowhere_else(int rows, int time, int width, int t)
    {
        var rng = new Random(rows * 7 + time * 3 + width);
        var value = TestData.Floats(rng, rows * width);
        var stacked = TestData.Floats(rng, rows * time * width);
        var expected = (float[])stacked.Clone();
        for (int b = 0; b < rows; b++)
            for (int i = 0; i < width; i++) expected[(b * time + t) * width + i] = value[b * width + i];
        using var dValue = fixture.Upload(value);
        using var dStacked = fixture.Upload(stacked);
        fixture.Device.Library.StackStep(IlgpuCpuFixture.View(dValue, value.Length), IlgpuCpuFixture.View(dStacked, stacked.Length), rows, time, width, t);
        Assert.Equal(expected, fixture.Download(dStacked, stacked.Length));
    }

    [Fact]
    public void A_loop_body_is_placed_after_every_region_of_its_dtype()
    {
        var regions = new List<DeviceRegion>();
        DeviceProgram.ArenaRegions(regions, DType.Float32, ["a", "b"], [10, 6], [0, 1], [1, 2], ("feed", 5));
        DeviceProgram.ArenaRegions(regions, DType.Int32, ["i"], [3], [0], [0]);
        int entry = regions.Count;
        DeviceLoopRegions.Append(regions, entry, DType.Float32, ["body0", "body1"], [4, 4], [0, 2], [1, 3], ("carry", 8));
        // A second loop of the same entry starts where the first did: they never run at the same time.
        DeviceLoopRegions.Append(regions, entry, DType.Float32, ["other"], [3], [0], [0]);
        Assert.Equal(regions.Single(r => r.Name == "body0").Offset, regions.Single(r => r.Name == "other").Offset);
        long entryEnd = regions.Take(entry).Where(r => r.DType == DType.Float32).Max(r => r.End);
        var body = regions.Where(r => r.Name.StartsWith("body", StringComparison.Ordinal) || r.Name is "carry" or "other").ToList();
        Assert.Equal(4, body.Count);
        Assert.All(body, r => Assert.True(r.Offset >= entryEnd, $"{r.Name} at {r.Offset} overlaps the entry (ends at {entryEnd})"));
        // The body's own plan still shares memory between its buffers that are never alive together.
        Assert.Equal(regions.Single(r => r.Name == "body0").Offset, regions.Single(r => r.Name == "body1").Offset);
        Assert.True(regions.Single(r => r.Name == "carry").Offset >= regions.Single(r => r.Name == "body0").End);
    }
}
