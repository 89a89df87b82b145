using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Runtime.Tests.Devices;

public class DeviceTests
{
    [Theory]
    [InlineData("cpu", DeviceKind.Cpu, 0)]
    [InlineData("cuda", DeviceKind.Cuda, 0)]
    [InlineData("CUDA:2", DeviceKind.Cuda, 2)]
    [InlineData(" ilgpu-cpu ", DeviceKind.IlgpuCpu, 0)]
    [InlineData("ILGPU-CPU:groups", DeviceKind.IlgpuCpu, 0)]
    public void Parse_reads_every_text_form(string text, DeviceKind kind, int ordinal)
    {
        var device = Device.Parse(text);
        Assert.Equal(kind, device.Kind);
        Assert.Equal(ordinal, device.Ordinal);
        Assert.Equal(device, Device.Parse(device.ToString()));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("")]
    public void Parse_rejects_other_text_and_lists_the_choices(string text)
    {
        var error = Assert.Throws<FormatException>(() => Device.Parse(text));
        Assert.Contains("cpu|cuda|cuda:<n>|ilgpu-cpu|ilgpu-cpu:groups", error.Message);
        Assert.False(Device.TryParse(text, out _));
    }

    [Fact]
    public void Devices_are_values()
    {
        Assert.Equal(Device.Cuda(1), Device.Cuda(1));
        Assert.NotEqual(Device.Cuda(0), Device.Cuda(1));
        Assert.Same(Device.IlgpuCpu(), Device.IlgpuCpu());
        Assert.Same(Device.IlgpuCpu(gpuGroups: true), Device.IlgpuCpu(gpuGroups: true));
        Assert.NotEqual(Device.IlgpuCpu(), Device.IlgpuCpu(gpuGroups: true));
        Assert.False(Device.IlgpuCpu().GpuGroups);
        Assert.True(Device.Cuda().GpuGroups);
        Assert.Equal("ilgpu-cpu:groups", Device.IlgpuCpu(gpuGroups: true).ToString());
        Assert.False(Device.Cpu.UsesIlgpu);
        Assert.True(Device.IlgpuCpu().UsesIlgpu);
        Assert.Equal("cuda:3", Device.Cuda(3).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.Cuda(-1));
    }

    [Fact]
    public void The_host_needs_no_device_context()
    {
        Assert.Throws<ArgumentException>(() => DeviceContext.Open(Device.Cpu));
    }
}
