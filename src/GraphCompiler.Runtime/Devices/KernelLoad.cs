namespace GraphCompiler.Runtime.Devices;

/// <summary>One kernel compiled and loaded onto a device, and how long that took (a one-off cost per model instance).</summary>
public sealed record KernelLoad(string Kernel, TimeSpan Elapsed);
