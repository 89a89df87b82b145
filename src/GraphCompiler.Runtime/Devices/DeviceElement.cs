namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The element type that stores each dtype on a device. Bool is stored as one byte (0 or 1): .NET's
/// <c>bool</c> has no fixed device representation across ILGPU back ends, a byte does.
/// </summary>
public static class DeviceElement
{
    /// <summary>The device element type of <paramref name="dtype"/>.</summary>
    public static Type Of(DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Int32 => typeof(int),
        DType.Int64 => typeof(long),
        DType.Bool => typeof(byte),
        _ => throw new NotSupportedException($"dtype {dtype} has no device representation"),
    };

    /// <summary>Bytes per element of <paramref name="dtype"/> on the device.</summary>
    public static int Size(DType dtype) => dtype switch
    {
        DType.Float64 or DType.Int64 => 8,
        DType.Float32 or DType.Int32 => 4,
        DType.Bool => 1,
        _ => throw new NotSupportedException($"dtype {dtype} has no device representation"),
    };
}
