using ILGPU;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Group-wide reductions for use inside kernels (row kernels, the library's row reductions): every
/// thread of the group passes its partial value and every thread gets the group's total back.
/// Written by hand as a shared-memory tree instead of ILGPU.Algorithms' <c>GroupExtensions.Reduce</c>:
/// on the CPU accelerator that one (1.5.3) never returns when a value is NaN, so a diverging model would
/// hang the tests instead of failing them. The tree uses only barriers, and works for any group size.
/// </summary>
public static class GroupReduce
{
    /// <summary>The largest group the scratch memory serves: 1024 threads, the CUDA limit.</summary>
    public const int MaxGroupSize = 1024;

    /// <summary>The sum of <paramref name="value"/> over the group (NaN if any is NaN).</summary>
    public static float Sum(float value) => Reduce<SumFold>(value);

    /// <summary>The maximum of <paramref name="value"/> over the group; NaN if any is NaN.</summary>
    public static float Max(float value) => Reduce<MaxFold>(value);

    /// <summary>The fold of <typeparamref name="TFold"/> over the group. Every thread of the group must call it.</summary>
    public static float Reduce<TFold>(float value) where TFold : struct, IFloatFold
    {
        TFold fold = default;
        var scratch = SharedMemory.Allocate<float>(MaxGroupSize);
        int thread = Group.IdxX;
        scratch[thread] = value;
        Group.Barrier();
        for (int width = Group.DimX; width > 1;)
        {
            int half = (width + 1) / 2;
            if (thread < width - half) scratch[thread] = fold.Apply(scratch[thread], scratch[thread + half]);
            Group.Barrier();
            width = half;
        }
        float total = scratch[0];
        // Nobody may write the scratch again (a second reduction in the same kernel) before all have read it.
        Group.Barrier();
        return total;
    }
}

/// <summary>An associative fold over floats with its identity, for <see cref="GroupReduce.Reduce{TFold}"/>.</summary>
public interface IFloatFold
{
    /// <summary>The value that leaves any other unchanged (0 for a sum, −∞ for a max).</summary>
    float Identity { get; }

    /// <summary>Combines two partial results.</summary>
    float Apply(float a, float b);
}

/// <summary>Addition.</summary>
public readonly struct SumFold : IFloatFold
{
    /// <inheritdoc />
    public float Identity => 0f;

    /// <inheritdoc />
    public float Apply(float a, float b) => a + b;
}

/// <summary>Maximum, with −∞ as identity (so an all −∞ or empty row gives −∞) and NaN winning, as in a sum.</summary>
public readonly struct MaxFold : IFloatFold
{
    /// <inheritdoc />
    public float Identity => float.NegativeInfinity;

    /// <inheritdoc />
    public float Apply(float a, float b) => float.IsNaN(a) || a > b ? a : b;
}
