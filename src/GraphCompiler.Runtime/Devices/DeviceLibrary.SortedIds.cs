using System.Numerics;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.RadixSortOperations;
using ILGPU.Runtime;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The positions of a lookup's ids grouped by id, in position order within each id: the keys
/// <c>(id &lt;&lt; 32) | position</c> sorted with ILGPU.Algorithms' radix sort, as the CPU path sorts the same keys.
/// A routine that sums the rows of repeated ids then walks each id's run from its first key, so the sum runs in
/// position order (the CPU's, bit for bit) with work linear in the number of ids instead of a scan of all
/// earlier ids per position. The key and sort scratch is kept and grown with the largest lookup seen.
/// </summary>
public sealed partial class DeviceLibrary : IDisposable
{
    private MemoryBuffer1D<long, Stride1D.Dense>? _sortKeys;
    private MemoryBuffer1D<int, Stride1D.Dense>? _sortTemp;
    private RadixSort<long, Stride1D.Dense>? _sort;

    /// <summary>The keys of <paramref name="ids"/> sorted by (id, position), valid until the next call.</summary>
    internal ArrayView<long> SortedIdKeys(ArrayView<int> ids)
    {
        int count = (int)ids.Length;
        var accelerator = _device.Accelerator;
        if (_sortKeys is null || _sortKeys.Length < count)
        {
            _sortKeys?.Dispose();
            _sortTemp?.Dispose();
            // Grown in powers of two so that a slowly growing batch does not reallocate every step.
            long capacity = Math.Max(64, (long)BitOperations.RoundUpToPowerOf2((uint)count));
            _sortKeys = accelerator.Allocate1D<long>(capacity);
            _sortTemp = accelerator.Allocate1D<int>(accelerator.ComputeRadixSortTempStorageSize<long, AscendingInt64>((Index1D)(int)capacity));
        }
        var keys = _sortKeys.View.SubView(0, count);
        _device.Kernels.Auto<ArrayView<int>, ArrayView<long>>(IdKeyKernel)(count, ids, keys);
        _sort ??= accelerator.CreateRadixSort<long, Stride1D.Dense, AscendingInt64>();
        _sort(accelerator.DefaultStream, keys, _sortTemp!.View);
        return keys;
    }

    internal static void IdKeyKernel(Index1D i, ArrayView<int> ids, ArrayView<long> keys) => keys[i] = ((long)ids[i] << 32) | (uint)(int)i;

    /// <summary>The id of a sorted key.</summary>
    internal static int IdOf(long key) => (int)(key >> 32);

    /// <summary>The position of a sorted key.</summary>
    internal static int PositionOf(long key) => (int)(key & 0xFFFFFFFFL);

    /// <summary>Frees the sort scratch.</summary>
    public void Dispose()
    {
        _sortKeys?.Dispose();
        _sortTemp?.Dispose();
        _sortKeys = null;
        _sortTemp = null;
    }
}
