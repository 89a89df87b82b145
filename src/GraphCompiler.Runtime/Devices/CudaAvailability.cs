using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Why a CUDA device cannot be opened, checked before ILGPU is asked for it: ILGPU quietly reports zero
/// devices when the driver library is missing, which would leave the user guessing between "no driver"
/// and "no GPU".
/// </summary>
internal static class CudaAvailability
{
    /// <summary>The driver library ILGPU binds to on this operating system.</summary>
    public static string DriverLibrary => OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";

    /// <summary>True when the CUDA driver library can be loaded into this process.</summary>
    public static bool DriverLoads()
    {
        if (!NativeLibrary.TryLoad(DriverLibrary, out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }

    /// <summary>
    /// The reason CUDA device <paramref name="ordinal"/> cannot be used, or null when it can.
    /// Pure so that every branch is testable on a machine without a GPU.
    /// </summary>
    public static string? Problem(bool driverLoads, int deviceCount, int ordinal) =>
        !driverLoads ? $"no CUDA device: the CUDA driver ({DriverLibrary}) was not found"
        : deviceCount == 0 ? $"no CUDA device: the CUDA driver ({DriverLibrary}) is installed but reports no device"
        : ordinal >= deviceCount ? $"no CUDA device {ordinal}: the CUDA driver reports {deviceCount} device{(deviceCount == 1 ? "" : "s")} (0 to {deviceCount - 1})"
        : null;
}
