namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// Per-thread, 64-byte-aligned scratch for packed GEMM panels. The arrays live on the pinned object
/// heap, so their address is stable without a <c>fixed</c> block, and they are allocated only when a
/// thread first needs a larger panel than before — never per call. They die with their thread.
/// </summary>
internal static unsafe class PackBuffer
{
    private const int AlignFloats = 16; // 64 bytes: one cache line, one zmm register

    [ThreadStatic] private static float[]? t_a;
    [ThreadStatic] private static float[]? t_b;

    /// <summary>Aligned scratch of at least <paramref name="length"/> floats for packed A blocks.</summary>
    public static float* ForA(int length) => Get(ref t_a, length);

    /// <summary>Aligned scratch of at least <paramref name="length"/> floats for packed B panels.</summary>
    public static float* ForB(int length) => Get(ref t_b, length);

    private static float* Get(ref float[]? slot, int length)
    {
        if (slot is null || slot.Length < length + AlignFloats)
            slot = GC.AllocateUninitializedArray<float>(length + AlignFloats, pinned: true);
        fixed (float* p = slot)
        {
            // Pinned-heap arrays never move, so the pointer outlives this fixed block.
            nuint address = (nuint)p;
            nuint aligned = (address + 63) & ~(nuint)63;
            return (float*)aligned;
        }
    }
}
