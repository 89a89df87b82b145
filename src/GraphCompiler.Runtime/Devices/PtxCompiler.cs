using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// Compiles kernels to PTX with ILGPU's PTX back end alone, with no GPU and no CUDA driver: the check that
/// every generated and library kernel would load on a GPU (what the CUDA accelerator compiles at load
/// time), runnable on any machine. Only loading the PTX into the driver and launching it need a device.
/// </summary>
public sealed class PtxCompiler : IDisposable
{
    /// <summary>The H100/H200 generation.</summary>
    public static readonly CudaArchitecture Hopper = CudaArchitecture.SM_90;

    private readonly Context _context;
    private readonly PTXBackend _backend;

    /// <summary>A compiler for <paramref name="architecture"/> (default <see cref="Hopper"/>) with PTX ISA 8.0 (CUDA 12.0), set up as <see cref="DeviceContext"/> sets up CUDA (ILGPU.Algorithms on, O2).</summary>
    public PtxCompiler(CudaArchitecture? architecture = null)
    {
        _context = Context.Create(b => b.EnableAlgorithms().Optimize(OptimizationLevel.O2));
        // No libNVVM: ILGPU's own PTX code generator, as the CUDA accelerator uses by default.
        _backend = new PTXBackend(_context, architecture ?? Hopper, CudaInstructionSet.ISA_80, nvvmAPI: null!);
    }

    /// <summary>
    /// The PTX of <paramref name="kernel"/>: implicitly grouped when its first parameter is an ILGPU index
    /// (<c>Index1D</c>…), explicitly grouped otherwise. Throws what ILGPU throws for a construct it cannot compile.
    /// </summary>
    public string Compile(MethodInfo kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var parameters = kernel.GetParameters();
        bool implicitGroups = parameters.Length > 0 && parameters[0].ParameterType is var first
            && (first == typeof(Index1D) || first == typeof(Index2D) || first == typeof(Index3D));
        var entry = implicitGroups ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel) : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
        var compiled = (PTXCompiledKernel)_backend.Compile(entry, new KernelSpecialization());
        return compiled.PTXAssembly;
    }

    /// <summary>
    /// The architecture a PTX module's <c>.target</c> line names (<c>sm_80</c> gives 8.0, <c>sm_100</c> 10.0), or null without one.
    /// ILGPU 1.5.3 writes <c>.target sm_80</c> even for a back end built for SM_90: such PTX loads on an H100/H200
    /// because the driver JIT-compiles PTX for any target at or below the device's, so a test checks
    /// <see cref="LoadsOn"/>, not the exact name.
    /// </summary>
    public static (int Major, int Minor)? TargetOf(string ptx)
    {
        ArgumentNullException.ThrowIfNull(ptx);
        var match = System.Text.RegularExpressions.Regex.Match(ptx, @"(?m)^\s*\.target\s+sm_(\d{2,3})[a-z]?\b");
        if (!match.Success) return null;
        int number = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (number / 10, number % 10);
    }

    /// <summary>True when the module's PTX ISA version is the one this compiler writes (8.0) and its target is at or below <paramref name="architecture"/>.</summary>
    public static bool LoadsOn(string ptx, CudaArchitecture architecture)
    {
        bool version = System.Text.RegularExpressions.Regex.IsMatch(ptx, @"(?m)^\s*\.version 8\.0\s*$");
        return version && TargetOf(ptx) is var (major, minor) && (major, minor).CompareTo((architecture.Major, architecture.Minor)) <= 0;
    }

    /// <summary>Frees the back end and its context.</summary>
    public void Dispose()
    {
        _backend.Dispose();
        _context.Dispose();
    }
}
