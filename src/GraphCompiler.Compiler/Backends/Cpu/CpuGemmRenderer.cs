using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Backends.Cpu;

/// <summary>
/// Renders a <see cref="GemmCall"/> as one call into the runtime's GEMM: a plain or batched product,
/// a product summed over its batch axes, a dense layer that adds the bias and applies relu before storing C, or a product that sums the
/// columns of B while it reads B.
/// </summary>
internal static class CpuGemmRenderer
{
    private const string CpuOps = CpuScalarRenderer.CpuOps;

    /// <summary>The statement; <paramref name="ctx"/> reads the operands, <paramref name="write"/> spells an output's span.</summary>
    public static string Render(GemmCall call, CpuKernelContext ctx, Func<Node, string> write)
    {
        var t = call.Product.DType.CSharpName();
        if (call.Bias is { } bias)
            return $"{CpuOps}.MatMulBiasActivation<{t}>({Arguments(call, ctx)}, {ctx.Read(bias)}, {Bool(call.Relu)}, {write(call.Result)});";
        if (call.ColumnSums is { } sums)
            return $"{CpuOps}.MatMulColumnSums<{t}>({Arguments(call, ctx)}, {write(call.Result)}, {write(sums)});";
        Shape a = call.A.Shape, b = call.B.Shape, c = call.Product.Shape;
        if (MatMul.ContractsBatch(call.Product.Attrs))
            return $"{CpuOps}.MatMulBatchSum<{t}>({Bool(call.TransposeA)}, {Bool(call.TransposeB)}, {ctx.Count(MatMul.BatchShape(a))}, {Sizes(call, ctx)}, {ctx.Read(call.A)}, {ctx.Read(call.B)}, {write(call.Result)});";
        if (a.Rank == 2 && b.Rank == 2)
            return $"{CpuOps}.MatMul<{t}>({Arguments(call, ctx)}, {write(call.Result)});";
        return $"{CpuOps}.BatchMatMul<{t}>({Bool(call.TransposeA)}, {Bool(call.TransposeB)}, {ctx.ShapeSpan(MatMul.BatchShape(a))}, {ctx.ShapeSpan(MatMul.BatchShape(b))}, {ctx.ShapeSpan(MatMul.BatchShape(c))}, {Sizes(call, ctx)}, {ctx.Read(call.A)}, {ctx.Read(call.B)}, {write(call.Result)});";
    }

    /// <summary>The leading arguments of a 2-D GEMM call: the transpose flags, m, n, k, a and b.</summary>
    private static string Arguments(GemmCall call, CpuKernelContext ctx) =>
        $"{Bool(call.TransposeA)}, {Bool(call.TransposeB)}, {Sizes(call, ctx)}, {ctx.Read(call.A)}, {ctx.Read(call.B)}";

    /// <summary>m, n and k of op(A)·op(B).</summary>
    private static string Sizes(GemmCall call, CpuKernelContext ctx)
    {
        Shape a = call.A.Shape, c = call.Product.Shape;
        return $"{ctx.Dim(c[c.Rank - 2])}, {ctx.Dim(c[c.Rank - 1])}, {ctx.Dim(call.TransposeA ? a[a.Rank - 2] : a[a.Rank - 1])}";
    }

    private static string Bool(bool b) => b ? "true" : "false";
}
