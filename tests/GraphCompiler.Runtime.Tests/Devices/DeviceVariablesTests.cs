using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Tests.Checkpoints;

namespace GraphCompiler.Runtime.Tests.Devices;

[Collection(IlgpuCpuCollection.Name)]
public class DeviceVariablesTests(IlgpuCpuFixture fixture)
{
    private static TestModel Model()
    {
        var model = new TestModel();
        model.Add<float>("dense/weights", 3, 4);
        model.Add<float>("dense/weights/Adam", 3, 4);
        model.Add<double>("scale", 2);
        model.Add<int>("counts", 5);
        model.Add<long>("ids", 1);
        model.Add<bool>("mask", 3);
        return model;
    }

    [Fact]
    public void A_checkpoint_saved_from_the_device_loads_on_the_cpu_and_back_on_the_device()
    {
        using var dir = new TempDirectory();
        var onDevice = Model();
        var memory = fixture.Device.Allocate(DeviceMemoryPlan.ForVariables(onDevice.AllVariables));
        onDevice.Fill(salt: 3);
        memory.CopyToDevice(onDevice.AllVariables);
        var saved = onDevice.Snapshot();
        onDevice.Fill(salt: 9); // stale host values: the save must read the device
        onDevice.GlobalStep = 42;

        var path = new Saver().Save(onDevice, memory, dir.File("model"), globalStep: 42);

        var onCpu = Model();
        new Saver().Restore(onCpu, path);
        Assert.Equal(saved, onCpu.Snapshot());
        Assert.Equal(42, onCpu.GlobalStep);

        var backOnDevice = Model();
        backOnDevice.Fill(salt: 5);
        memory.CopyToDevice(backOnDevice.AllVariables); // overwritten by the restore below
        new Saver().Restore(backOnDevice, memory, path);
        backOnDevice.Fill(salt: 7);
        memory.CopyToHost(backOnDevice.AllVariables);
        Assert.Equal(saved, backOnDevice.Snapshot());
    }

    [Fact]
    public void Variables_without_matching_regions_are_all_named()
    {
        var model = Model();
        using var memory = new DeviceMemory(fixture.Device.Accelerator,
            DeviceMemoryPlan.Layout([("dense/weights", DType.Float32, 11), ("scale", DType.Float32, 2)]));
        var error = Assert.Throws<ArgumentException>(() => memory.CopyToHost(model.AllVariables));
        Assert.Contains("'dense/weights' is Float32 x 12, its device region Float32 x 11", error.Message);
        Assert.Contains("'scale' is Float64 x 2", error.Message);
        Assert.Contains("'mask' has no device region", error.Message);
    }
}
