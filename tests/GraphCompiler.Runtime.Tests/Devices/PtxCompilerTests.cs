using System.Reflection;
using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// The runtime's own device kernels (both ILGPU GEMMs, the library's layout, window, dropout and
/// gathered-row kernels, row reductions and gathers) compile to PTX for SM_90 on a machine without a GPU.
/// </summary>
public class PtxCompilerTests
{
    private static IEnumerable<MethodInfo> Kernels(Type type) =>
        type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(m => m.Name.EndsWith("Kernel", StringComparison.Ordinal) || m.Name.EndsWith("Kernel64", StringComparison.Ordinal))
            .Select(m => m.IsGenericMethodDefinition ? Instantiate(m) : m);

    // Generic kernels are compiled as float kernels (folds as sums), the type generated code uses most.
    private static MethodInfo Instantiate(MethodInfo m) =>
        m.MakeGenericMethod(m.GetGenericArguments().Select(a => a.GetGenericParameterConstraints().Contains(typeof(IFloatFold)) ? typeof(SumFold) : typeof(float)).ToArray());

    [Fact]
    public void Every_library_kernel_compiles_to_ptx_for_sm_90_without_a_gpu()
    {
        using var compiler = new PtxCompiler();
        var kernels = new[] { typeof(IlgpuGemm), typeof(IlgpuBlockedGemm), typeof(DeviceLibrary), typeof(RowIndexing), typeof(RowReductions) }.SelectMany(Kernels).ToList();
        Assert.True(kernels.Count >= 20, $"found only {kernels.Count} kernels");
        foreach (var kernel in kernels)
        {
            Assert.Contains(".version", compiler.Compile(kernel), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_blocked_gemm_needs_no_barrier_where_the_tiled_one_has_them()
    {
        using var compiler = new PtxCompiler();
        string Ptx(Type gemm) => compiler.Compile(gemm.GetMethod("Kernel", BindingFlags.Static | BindingFlags.NonPublic)!);
        const string barrier = @"\bbar(rier)?\.sync\b";
        Assert.DoesNotMatch(barrier, Ptx(typeof(IlgpuBlockedGemm)));
        Assert.Matches(barrier, Ptx(typeof(IlgpuGemm)));
    }
}
