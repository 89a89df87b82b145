using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Tests.Kernels;

public class SgemmTransposePackTests
{
    [Fact]
    public unsafe void Pack_writes_each_line_down_a_sliver_column_scaled_and_leaves_other_columns_alone()
    {
        var rng = new System.Random(3);
        // Line counts hit the 8-line, 4-line and single-line parts; depths hit the 8- and 4-step blocks and their remainders.
        foreach (int count in new[] { 1, 3, 4, 5, 8, 11, 12, 13, 32 })
        foreach (int kc in new[] { 1, 4, 7, 8, 9, 17, 64 })
        {
            int stride = kc + rng.Next(3);
            int width = count + rng.Next(3);
            float scale = rng.Next(2) == 0 ? 1f : -1.5f;
            var src = TestData.Floats(rng, count * stride);
            var dst = new float[kc * width];
            Array.Fill(dst, 99f);
            fixed (float* s = src)
            fixed (float* d = dst)
                SgemmTransposePack.Pack(s, stride, count, kc, scale, d, width);

            for (int p = 0; p < kc; p++)
            for (int i = 0; i < width; i++)
            {
                float expected = i < count ? scale * src[i * stride + p] : 99f;
                Assert.True(expected == dst[p * width + i], $"count={count} kc={kc} width={width}: dst[{p},{i}] is {dst[p * width + i]}, expected {expected}.");
            }
        }
    }
}
