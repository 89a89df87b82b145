using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Runtime.Tests.Devices;

public class CudaAvailabilityTests
{
    [Fact]
    public void Opening_cuda_without_a_driver_says_so_in_one_line()
    {
        if (CudaAvailability.DriverLoads())
        {
            // A machine with the driver: opening either works or names the missing device, never crashes.
            try { DeviceContext.Open(Device.Cuda()).Dispose(); }
            catch (DeviceUnavailableException error) { Assert.StartsWith("no CUDA device", error.Message); }
            return;
        }
        var thrown = Assert.Throws<DeviceUnavailableException>(() => DeviceContext.Open(Device.Cuda()));
        Assert.Equal("no CUDA device: the CUDA driver (libcuda.so.1) was not found", thrown.Message);
        Assert.Equal(Device.Cuda(), thrown.Device);
        // The missing driver is named whatever ordinal was asked for.
        Assert.Equal(thrown.Message, Assert.Throws<DeviceUnavailableException>(() => DeviceContext.Open(Device.Cuda(3))).Message);
    }

    [Fact]
    public void A_driver_without_a_device_is_told_apart_from_a_missing_driver()
    {
        Assert.Equal("no CUDA device: the CUDA driver (libcuda.so.1) is installed but reports no device",
            CudaAvailability.Problem(driverLoads: true, deviceCount: 0, ordinal: 0));
        Assert.Equal("no CUDA device: the CUDA driver (libcuda.so.1) was not found",
            CudaAvailability.Problem(driverLoads: false, deviceCount: 0, ordinal: 0));
    }

    [Fact]
    public void An_ordinal_past_the_last_gpu_names_the_range()
    {
        Assert.Equal("no CUDA device 2: the CUDA driver reports 2 devices (0 to 1)", CudaAvailability.Problem(true, 2, 2));
        Assert.Equal("no CUDA device 1: the CUDA driver reports 1 device (0 to 0)", CudaAvailability.Problem(true, 1, 1));
        Assert.Null(CudaAvailability.Problem(true, 2, 1));
    }
}
