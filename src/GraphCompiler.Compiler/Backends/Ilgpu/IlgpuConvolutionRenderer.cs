using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Backends.Ilgpu;

/// <summary>
/// Renders a <see cref="ConvolutionCall"/> as one call into the device library's window routines
/// (<c>DeviceLibrary.Conv2D</c> and friends: im2col and the device GEMM for convolutions, direct kernels for
/// pooling and depthwise convolution), the geometry spelled as the runtime's <c>WindowGeometry</c> value
/// the CPU routines take. The device runs them in float32.
/// </summary>
internal static class IlgpuConvolutionRenderer
{
    public static string Render(ConvolutionCall window, DeviceCall call)
    {
        var op = window.Op;
        if (op.DType != DType.Float32) throw new NotSupportedException($"op '{op.OpName}' ({op.Name}) runs on the device for float32 only, not {op.DType}");
        var lib = $"{call.Program}.Context.Library";
        var g = RuntimeWindowGeometry.Of(window, call.Dim);
        string In(int i) => call.View(op.Inputs[i]);
        var result = call.View(window.Result);
        return window.Routine switch
        {
            WindowRoutine.Convolution =>
                $"{lib}.Conv2D({g}, {In(0)}, {In(1)}, {(window.Bias is { } b ? call.View(b) : "default(ILGPU.ArrayView<float>)")}, {(window.Relu ? "true" : "false")}, {result});",
            WindowRoutine.ConvolutionInputGradient => $"{lib}.Conv2DBackpropInput({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.ConvolutionFilterGradient => $"{lib}.Conv2DBackpropFilter({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.DepthwiseConvolution => $"{lib}.DepthwiseConv2D({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.DepthwiseConvolutionInputGradient => $"{lib}.DepthwiseConv2DBackpropInput({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.DepthwiseConvolutionFilterGradient => $"{lib}.DepthwiseConv2DBackpropFilter({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.MaxPool => $"{lib}.MaxPool({g}, {In(0)}, {result});",
            WindowRoutine.MaxPoolGradient => $"{lib}.MaxPoolGrad({g}, {In(0)}, {In(1)}, {result});",
            WindowRoutine.AvgPool => $"{lib}.AvgPool({g}, {In(0)}, {result});",
            WindowRoutine.AvgPoolGradient => $"{lib}.AvgPoolGrad({g}, {In(0)}, {result});",
            _ => throw new NotSupportedException($"op '{op.OpName}' ({op.Name}) has no device routine yet"),
        };
    }
}
