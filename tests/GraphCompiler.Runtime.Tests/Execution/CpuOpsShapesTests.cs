using GraphCompiler.Runtime.Execution;

namespace GraphCompiler.Runtime.Tests.Execution;

/// <summary>The shape family's library ops on small hand-checked cases, their generic (non-float32) paths and their run-time checks.</summary>
public class CpuOpsShapesTests
{
    private static readonly double[] Matrix34 = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

    [Fact]
    public void StridedSliceWalksBackwardsFromTheEnd()
    {
        var y = new double[4];
        CpuOps.StridedSlice<double>(Matrix34, [3, 4], [-1, -1], [-2, -2], y, [2, 2]);
        Assert.Equal(new double[] { 11, 9, 3, 1 }, y);
    }

    [Fact]
    public void AWindowPastASymbolicDimFailsNamingTheAxis()
    {
        // Slice(x, [2, 0], [3, -1]) on x [n, 4] compiled; called with n = 3.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CpuOps.StridedSlice<double>(Matrix34, [3, 4], [2, 0], [1, 1], new double[12], [3, 4]));
        Assert.Contains("strided_slice: on axis 0 the window of 3 elements from 2 with stride 1 leaves the dimension of size 3", e.Message);
    }

    [Fact]
    public void StridedPlaceFillsAroundTheWindow()
    {
        var y = new int[12];
        CpuOps.StridedPlace<int>([1, 2, 3, 4], [2, 2], [1, 0], [1, 2], -1, y, [3, 4]);
        Assert.Equal(new[] { -1, -1, -1, -1, 1, -1, 2, -1, 3, -1, 4, -1 }, y);
    }

    [Fact]
    public void ConcatPartsInterleaveRows()
    {
        var y = new long[10];
        CpuOps.ConcatPart<long>([1, 2, 3, 4], 2, 2, 5, 0, y);
        CpuOps.ConcatPart<long>([5, 6, 7, 8, 9, 10], 2, 3, 5, 2, y);
        Assert.Equal(new long[] { 1, 2, 5, 6, 7, 3, 4, 8, 9, 10 }, y);
    }

    [Fact]
    public void TileRepeatsRowsAndColumns()
    {
        var y = new bool[12];
        CpuOps.Tile<bool>([true, false, false], [1, 3], y, [2, 6]);
        Assert.Equal(new[] { true, false, false, true, false, false, true, false, false, true, false, false }, y);
    }

    [Fact]
    public void GatherWithInt64IndicesAlongAMiddleAxis()
    {
        var y = new double[6];
        CpuOps.Gather<double, long>(Matrix34, 3, 4, 1, [3, 0], y);
        Assert.Equal(new double[] { 3, 0, 7, 4, 11, 8 }, y);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CpuOps.Gather<double, long>(Matrix34, 3, 4, 1, [1, 4], y));
        Assert.Contains("indices[1] = 4 is outside [0, 4)", e.Message);
    }

    [Fact]
    public void Float32RowGatherUsesTheCheckedKernel()
    {
        var y = new float[4];
        CpuOps.Gather<float, int>([1, 2, 3, 4, 5, 6], 1, 3, 2, [2, 0], y);
        Assert.Equal(new float[] { 5, 6, 1, 2 }, y);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CpuOps.Gather<float, int>([1, 2, 3, 4, 5, 6], 1, 3, 2, [0, -3], y));
        Assert.Contains("ids[1] = -3", e.Message);
    }

    [Fact]
    public void ScatterAddRowsAccumulatesRepeatedIdsAndChecksFirst()
    {
        var table = new double[6];
        CpuOps.ScatterAddRows<double, long>([1, 2, 3, 4, 5, 6], 2, [2, 0, 2], table);
        Assert.Equal(new double[] { 3, 4, 0, 0, 6, 8 }, table);
        var floats = new float[4];
        CpuOps.ScatterAddRows<float, int>([1, 1, 2, 2], 2, [1, 1], floats);
        Assert.Equal(new float[] { 0, 0, 3, 3 }, floats);
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuOps.ScatterAddRows<double, long>([9, 9, 9, 9], 2, [0, 3], table));
        Assert.Equal(new double[] { 3, 4, 0, 0, 6, 8 }, table);
    }

    [Fact]
    public void OneHotPutsTheNewAxisInTheMiddleAndIgnoresOutOfRange()
    {
        var y = new float[12];
        CpuOps.OneHot<float, int>([0, 2, 5, -1], 2, 3, 2, 1f, 0f, y);
        // indices [2, 2], depth 3 at axis 1: y[o, d, k] = indices[o, k] == d.
        Assert.Equal(new float[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 }, y);
    }

    [Fact]
    public void BatchMatMulBroadcastsBatchesInTheGenericAndTheSimdPaths()
    {
        // a: [2, 1, 2, 2] (two batch matrices), b: [3, 2, 2] → c: [2, 3, 2, 2]; b_j = j·I.
        double[] a = { 1, 2, 3, 4, 5, 6, 7, 8 };
        double[] b = { 0, 0, 0, 0, 1, 0, 0, 1, 2, 0, 0, 2 };
        var c = new double[24];
        CpuOps.BatchMatMul<double>(false, false, [2, 1], [3], [2, 3], 2, 2, 2, a, b, c);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int e = 0; e < 4; e++)
                    Assert.Equal(a[i * 4 + e] * j, c[(i * 3 + j) * 4 + e]);
        var cf = new float[24];
        CpuOps.BatchMatMul<float>(false, false, [2, 1], [3], [2, 3], 2, 2, 2, a.Select(v => (float)v).ToArray(), b.Select(v => (float)v).ToArray(), cf);
        Assert.Equal(c.Select(v => (float)v), cf);
        var shared = new float[8];
        CpuOps.BatchMatMul<float>(true, false, [2], ReadOnlySpan<int>.Empty, [2], 2, 2, 2, [1, 2, 3, 4, 5, 6, 7, 8], [1, 0, 0, 1], shared);
        Assert.Equal(new float[] { 1, 3, 2, 4, 5, 7, 6, 8 }, shared);
    }
}
