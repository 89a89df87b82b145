using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Backends.Cpu;

/// <summary>
/// Renders a <see cref="ConvolutionCall"/> as one call into the runtime's window routines
/// (<c>CpuOps.Conv2D</c> and friends), the geometry spelled as a <c>WindowGeometry</c> value.
/// </summary>
internal static class CpuConvolutionRenderer
{
    private const string CpuOps = CpuScalarRenderer.CpuOps;

    public static string Render(ConvolutionCall call, CpuKernelContext ctx, Func<Node, string> write)
    {
        var t = call.Op.DType.CSharpName();
        var g = Geometry(call, ctx);
        string In(int i) => ctx.Read(call.Op.Inputs[i]);
        var result = write(call.Result);
        if (call.Pool is { } pool)
        {
            var unpooled = call.Unpooled is { } u ? write(u) : $"Span<{t}>.Empty";
            return $"{CpuOps}.Conv2DPooled<{t}>({g}, {PoolGeometry(call, ctx)}, {(pool.Op is Ops.MaxPool ? "true" : "false")}, {In(0)}, {In(1)}, {Bias(call, ctx, t)}, {(call.Relu ? "true" : "false")}, {unpooled}, {result});";
        }
        return call.Routine switch
        {
            WindowRoutine.Convolution =>
                $"{CpuOps}.Conv2D<{t}>({g}, {In(0)}, {In(1)}, {Bias(call, ctx, t)}, {(call.Relu ? "true" : "false")}, {result});",
            WindowRoutine.ConvolutionInputGradient => $"{CpuOps}.Conv2DBackpropInput<{t}>({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.ConvolutionFilterGradient => $"{CpuOps}.Conv2DBackpropFilter<{t}>({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.DepthwiseConvolution => $"{CpuOps}.DepthwiseConv2D<{t}>({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.DepthwiseConvolutionInputGradient => $"{CpuOps}.DepthwiseConv2DBackpropInput<{t}>({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.DepthwiseConvolutionFilterGradient => $"{CpuOps}.DepthwiseConv2DBackpropFilter<{t}>({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.MaxPool => $"{CpuOps}.MaxPool<{t}>({g}, {In(0)}, {result});",
            WindowRoutine.MaxPoolGradient => $"{CpuOps}.{(call.ReluMask ? "MaxPoolReluGrad" : "MaxPoolGrad")}<{t}>({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.AvgPool => $"{CpuOps}.AvgPool<{t}>({g}, {In(0)}, {result});",
            WindowRoutine.AvgPoolGradient => $"{CpuOps}.AvgPoolGrad<{t}>({g}, {In(0)}, {result});",
            _ => throw new InvalidOperationException($"no CPU routine for {call.Routine}"),
        };
    }

    private static string Bias(ConvolutionCall call, CpuKernelContext ctx, string t) => call.Bias is { } b ? ctx.Read(b) : $"ReadOnlySpan<{t}>.Empty";

    private static string Geometry(ConvolutionCall call, CpuKernelContext ctx) => RuntimeWindowGeometry.Of(call, ctx.Dim);

    /// <summary>The pooling's window over the convolution's output, whose channels are the convolution's out channels.</summary>
    private static string PoolGeometry(ConvolutionCall call, CpuKernelContext ctx) =>
        RuntimeWindowGeometry.Of(call.PoolGeometry!, call.OutChannels, call.OutChannels, call.Batch, ctx.Dim);
}
