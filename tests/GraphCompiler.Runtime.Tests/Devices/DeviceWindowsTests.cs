using GraphCompiler.Runtime.Execution;
using GraphCompiler.Runtime.Tests.Kernels;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>The device library's windows (concat, strided slices, pad, tile) against the CPU kernels, on random and edge shapes.</summary>
[Collection(IlgpuCpuCollection.Name)]
public class DeviceWindowsTests(IlgpuCpuFixture fixture)
{
    private static int Count(int[] shape) => shape.Aggregate(1, (n, d) => n * d);

    [Theory]
    [InlineData(3, 2, 5, 4)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(4, 0, 3, 7)]
    [InlineData(0, 3, 2, 1)]
    public void Concat_places_every_part_as_the_cpu_does(int outer, int a, int b, int inner)
    {
        var rng = new Random(outer * 31 + a * 7 + b);
        var x0 = TestData.Floats(rng, outer * a * inner);
        var x1 = TestData.Floats(rng, outer * b * inner);
        int width = (a + b) * inner;
        var expected = new float[outer * width];
        CpuOps.ConcatPart<float>(x0, outer, a * inner, width, 0, expected);
        CpuOps.ConcatPart<float>(x1, outer, b * inner, width, a * inner, expected);

        using var d0 = fixture.Upload(x0);
        using var d1 = fixture.Upload(x1);
        using var y = fixture.Upload(new float[expected.Length]);
        var yView = IlgpuCpuFixture.View(y, expected.Length);
        fixture.Device.Library.ConcatPart(IlgpuCpuFixture.View(d0, x0.Length), outer, a * inner, width, 0, yView);
        fixture.Device.Library.ConcatPart(IlgpuCpuFixture.View(d1, x1.Length), outer, b * inner, width, a * inner, yView);
        Assert.Equal(expected, fixture.Download(y, expected.Length));
    }

    public static TheoryData<int[], int[], int[], int[]> Slices() => new()
    {
        { [7, 5], [1, 0], [2, 1], [3, 5] },
        { [7, 5], [-1, -2], [-2, -1], [4, 4] },
        { [2, 3, 4], [1, 0, 3], [1, 2, -3], [1, 2, 2] },
        { [1], [0], [1], [1] },
        { [6, 4], [0, 0], [1, 1], [0, 4] },
        { [3, 1, 5], [2, 0, 4], [1, 1, 1], [1, 1, 1] },
    };

    [Theory]
    [MemberData(nameof(Slices))]
    public void Strided_slices_and_their_placement_match_the_cpu(int[] big, int[] begin, int[] strides, int[] window)
    {
        var rng = new Random(big.Sum() + window.Sum());
        var x = TestData.Floats(rng, Count(big));
        var expected = new float[Count(window)];
        CpuOps.StridedSlice<float>(x, big, begin, strides, expected, window);
        using var dx = fixture.Upload(x);
        using var dy = fixture.Upload(new float[expected.Length]);
        fixture.Device.Library.StridedSlice(IlgpuCpuFixture.View(dx, x.Length), big, begin, strides, IlgpuCpuFixture.View(dy, expected.Length), window);
        Assert.Equal(expected, fixture.Download(dy, expected.Length));

        // The gradient (and pad): the window placed back into a filled tensor of the big shape.
        var placed = new float[x.Length];
        CpuOps.StridedPlace<float>(expected, window, begin, strides, 0.5f, placed, big);
        using var dz = fixture.Upload(TestData.Floats(rng, x.Length));
        fixture.Device.Library.StridedPlace(IlgpuCpuFixture.View(dy, expected.Length), window, begin, strides, 0.5f, IlgpuCpuFixture.View(dz, x.Length), big);
        Assert.Equal(placed, fixture.Download(dz, x.Length));
    }

    [Fact]
    public void A_window_leaving_the_tensor_is_refused_on_the_host_with_the_cpu_message()
    {
        using var dx = fixture.Upload(new float[10]);
        using var dy = fixture.Upload(new float[4]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Device.Library.StridedSlice(IlgpuCpuFixture.View(dx, 10), [10], [8], [1], IlgpuCpuFixture.View(dy, 4), [4]));
        Assert.Contains("leaves the dimension of size 10", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<int[], int[]> Tiles() => new()
    {
        { [2, 3], [2, 3] },
        { [3], [1] },
        { [1, 4], [5, 1] },
        { [2, 1, 3], [1, 4, 2] },
        { [2, 3], [0, 2] },
        { [1], [7] },
    };

    [Theory]
    [MemberData(nameof(Tiles))]
    public void Tile_repeats_as_the_cpu_does(int[] shape, int[] multiples)
    {
        var rng = new Random(shape.Sum() * 10 + multiples.Sum());
        var x = TestData.Floats(rng, Count(shape));
        var yShape = shape.Select((d, a) => d * multiples[a]).ToArray();
        var expected = new float[Count(yShape)];
        CpuOps.Tile<float>(x, shape, expected, yShape);
        using var dx = fixture.Upload(x);
        using var dy = fixture.Upload(new float[expected.Length]);
        fixture.Device.Library.Tile(IlgpuCpuFixture.View(dx, x.Length), shape, IlgpuCpuFixture.View(dy, expected.Length), yShape);
        Assert.Equal(expected, fixture.Download(dy, expected.Length));
    }

    [Theory]
    [InlineData(0.5, 37, 3UL)]
    [InlineData(0.9, 1, 0UL)]
    [InlineData(1.0, 9, 5UL)]
    [InlineData(0.25, 1001, 123456789012UL)]
    [InlineData(0.5, 0, 1UL)]
    public void Dropout_draws_the_cpu_mask_bit_for_bit(double keep, int n, ulong step)
    {
        var x = TestData.Floats(new Random(n), n);
        var expected = new float[n];
        CpuOps.Dropout<float>(x, expected, keep, graphSeed: 17, opSeed: 4, step);
        using var dx = fixture.Upload(x);
        using var dy = fixture.Upload(new float[n]);
        fixture.Device.Library.Dropout(IlgpuCpuFixture.View(dx, n), IlgpuCpuFixture.View(dy, n), keep, 17, 4, step);
        Assert.Equal(expected, fixture.Download(dy, n));
        if (n > 100) Assert.Contains(0f, expected);
    }
}
