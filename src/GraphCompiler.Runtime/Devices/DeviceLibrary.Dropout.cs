using GraphCompiler.Compiler.Random;
using ILGPU;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

public sealed partial class DeviceLibrary
{
    /// <summary>
    /// Inverted dropout in the train step, bit for bit as <see cref="Execution.CpuOps.Dropout{T}"/>: element i
    /// is kept (and scaled by 1/<paramref name="keep"/>) when word i of the Philox stream keyed by
    /// (<paramref name="graphSeed"/>, <paramref name="opSeed"/>) at <paramref name="step"/> maps below keep.
    /// The key is derived on the host; each thread computes the block holding its word.
    /// </summary>
    public void Dropout(ArrayView<float> x, ArrayView<float> y, double keep, ulong graphSeed, ulong opSeed, ulong step)
    {
        if (!(keep > 0 && keep <= 1)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "Dropout keep probability must be in (0, 1].");
        if (y.Length == 0) return;
        var (k0, k1) = PhiloxKey.Derive(graphSeed, opSeed, 0);
        _device.Kernels.Auto<ArrayView<float>, ArrayView<float>, DropoutKey>(DropoutKernel)((int)y.Length, x, y, new DropoutKey(k0, k1, step, (float)keep, (float)(1 / keep)));
    }

    /// <summary>The Philox key, step, keep threshold and scale of one dropout launch. Public for ILGPU's CPU launcher.</summary>
    public readonly record struct DropoutKey(uint K0, uint K1, ulong Step, float Threshold, float Scale);

    internal static void DropoutKernel(Index1D i, ArrayView<float> x, ArrayView<float> y, DropoutKey key)
    {
        ulong block = (ulong)(int)i >> 2;
        var words = Philox4x32.Compute((uint)block, (uint)(block >> 32), (uint)key.Step, (uint)(key.Step >> 32), key.K0, key.K1);
        y[i] = PhiloxKey.ToUnit(words[i & 3]) < key.Threshold ? x[i] * key.Scale : 0f;
    }
}
