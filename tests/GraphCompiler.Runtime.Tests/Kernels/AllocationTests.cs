using GraphCompiler.Runtime.Kernels;
using GraphCompiler.Runtime.Rng;

namespace GraphCompiler.Runtime.Tests.Kernels;

/// <summary>The hot-path kernels must not allocate per call once their scratch is warm.</summary>
public class AllocationTests
{
    private static long AllocatedBy(Action action)
    {
        action(); // warm: JIT, thread-static scratch, pool threads
        action();
        // The minimum over rounds: a one-time lazy allocation (e.g. a wait event's lock, created the
        // first time the pool is contended by another test) shows in one round only, while an
        // allocation per call shows in every round.
        long least = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++) action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    [Fact]
    public void Kernels_do_not_allocate_per_call()
    {
        var rng = new System.Random(1);
        var a = TestData.Floats(rng, 256 * 256);
        var b = TestData.Floats(rng, 256 * 256);
        var c = new float[256 * 256];
        var small = new float[5 * 7];
        var y = new float[256];
        int[] shape = [256, 256];
        int[] perm = [1, 0];
        int[] row = [256];
        var big = new float[Elementwise.ParallelThreshold * 2];

        Assert.Equal(0, AllocatedBy(() => Gemm.Sgemm(false, true, 256, 256, 256, 1f, a, 256, b, 256, 0f, c, 256)));
        Assert.Equal(0, AllocatedBy(() => Gemm.Sgemm(true, false, 5, 7, 9, 1f, a, 5, b, 7, 1f, small, 7)));
        Assert.Equal(0, AllocatedBy(() => Gemm.BatchedSgemm(false, false, 8, 16, 16, 16, 1f, a, 16, 256, b, 16, 0, 0f, c, 16, 256)));
        Assert.Equal(0, AllocatedBy(() => Reduce.Sum(a, y, 256, 256, 1)));
        Assert.Equal(0, AllocatedBy(() => Reduce.Max(a, y, 1, 256, 256)));
        Assert.Equal(0, AllocatedBy(() => Transpose.Permute(a, c, shape, perm)));
        Assert.Equal(0, AllocatedBy(() => Broadcast.To(y, row, c, shape)));
        Assert.Equal(0, AllocatedBy(() => Broadcast.SumTo(a, shape, y, row)));
        Assert.Equal(0, AllocatedBy(() => Elementwise.Axpy(0.5f, big, big.AsSpan())));
        Assert.Equal(0, AllocatedBy(() => new PhiloxStream(1, 2).FillNormal(big, 0f, 1f)));
    }
}
