using System.Reflection;
using GraphCompiler.Runtime.Devices;

namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// The runtime's own device kernels (both ILGPU GEMMs, the library's layout, window, dropout and
/// gathered-row, window and sparse Adagrad kernels, row reductions and gathers) compile to PTX for SM_90 on a
/// machine without a GPU, and the PTX says so (<c>.target sm_90</c>).
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
            AssertHopperPtx(compiler.Compile(kernel), kernel.Name);
        }
    }

    /// <summary>PTX ISA 8.0 (CUDA 12.0, the first with SM_90) and a target an H100/H200 runs: what the compiler was asked for.</summary>
    private static void AssertHopperPtx(string ptx, string kernel)
    {
        Assert.False(string.IsNullOrEmpty(ptx), kernel);
        Assert.True(PtxCompiler.LoadsOn(ptx, PtxCompiler.Hopper), ptx[..Math.Min(200, ptx.Length)]);
    }

    [Fact]
    public void The_target_check_reads_the_version_and_target_lines()
    {
        Assert.Equal((8, 0), PtxCompiler.TargetOf("//\n.version 8.0\n.target sm_80\n.address_size 64\n"));
        Assert.Equal((10, 0), PtxCompiler.TargetOf(".target sm_100a\n"));
        Assert.Null(PtxCompiler.TargetOf("//.target sm_80\n"));
        Assert.True(PtxCompiler.LoadsOn(".version 8.0\n.target sm_90\n", PtxCompiler.Hopper));
        Assert.False(PtxCompiler.LoadsOn(".version 8.0\n.target sm_100\n", PtxCompiler.Hopper));
        Assert.False(PtxCompiler.LoadsOn(".version 8.5\n.target sm_80\n", PtxCompiler.Hopper));
    }

    [Fact]
    public void The_window_and_sampled_loss_kernels_are_among_those_compiled()
    {
        var names = typeof(DeviceLibrary).GetMethods(BindingFlags.Static | BindingFlags.NonPublic).Select(m => m.Name).ToHashSet();
        foreach (var kernel in new[] { "Im2ColKernel", "Col2ImKernel", "BiasReluKernel", "MaxPoolKernel", "MaxPoolGradKernel", "AvgPoolKernel", "AvgPoolGradKernel",
            "DepthwiseKernel", "DepthwiseInputGradKernel", "DepthwiseFilterGradKernel", "SparseAdagradKernel", "AttentionKernel", "AttentionKeyGradKernel", "AttentionQueryGradKernel" })
            Assert.Contains(kernel, names);
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
