using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>Which sliding-window routine a <see cref="ConvolutionCall"/> runs.</summary>
public enum WindowRoutine
{
    /// <summary>y = conv(x, f): an implicit GEMM [n·oh·ow, kh·kw·c] · [kh·kw·c, o].</summary>
    Convolution,

    /// <summary>dx from (dy, f): dy · fᵀ scattered back over the taps.</summary>
    ConvolutionInputGradient,

    /// <summary>df from (x, dy): patchesᵀ · dy.</summary>
    ConvolutionFilterGradient,

    /// <summary>y = depthwise_conv2d(x, f): a direct loop over taps, one channel at a time.</summary>
    DepthwiseConvolution,

    DepthwiseConvolutionInputGradient,
    DepthwiseConvolutionFilterGradient,

    MaxPool,
    MaxPoolGradient,
    AvgPool,
    AvgPoolGradient,
}

/// <summary>
/// A convolution, a pooling or one of their gradients over NHWC images, described by its window geometry:
/// the back end's routine for it reads the two operands in place. A forward convolution also carries what
/// fusion gave it: a per-channel bias and a relu applied as each output tile is stored, and a pooling of
/// that output (<see cref="Pool"/>).
/// </summary>
public sealed class ConvolutionCall : KernelDescription
{
    internal ConvolutionCall(Kernel source, IReadOnlyList<KernelOperand> operands, Node op, WindowRoutine routine, Window2D geometry,
        Dim batch, int channels, int outChannels, Node? bias, bool relu, Node? pool, bool reluMask)
        : base(source, new IterationSpace(IterationKind.Library, op.Shape), operands, Array.Empty<Node>())
    {
        Op = op;
        Routine = routine;
        Geometry = geometry;
        Batch = batch;
        Channels = channels;
        OutChannels = outChannels;
        Bias = bias;
        Relu = relu;
        Pool = pool;
        ReluMask = reluMask;
        if (pool is not null) PoolGeometry = Window2D.OfPool(pool.OpName, pool.Inputs[0].Shape, pool.Attrs);
    }

    /// <summary>The op node; its inputs are the routine's operands in order.</summary>
    public Node Op { get; }

    public WindowRoutine Routine { get; }

    public Window2D Geometry { get; }

    /// <summary>The image batch size (symbolic when the batch is).</summary>
    public Dim Batch { get; }

    /// <summary>Channels of the image.</summary>
    public int Channels { get; }

    /// <summary>Channels of the window op's output (the filters' out channels; the image's for pooling).</summary>
    public int OutChannels { get; }

    /// <summary>The per-channel bias added in the epilogue; null for none.</summary>
    public Node? Bias { get; }

    public bool Relu { get; }

    /// <summary>A max_pool or avg_pool of the convolution's (biased, activated) output, computed in its store; null for none.</summary>
    public Node? Pool { get; }

    /// <summary>For a max pooling's gradient: the relu_grad that follows it is applied as it scatters (dy only where the maximum is positive).</summary>
    public bool ReluMask { get; }

    /// <summary>The window of <see cref="Pool"/> over the convolution's output; null without one.</summary>
    public Window2D? PoolGeometry { get; }

    /// <summary>The value stored: the op, or the last op of its epilogue (the pooling when there is one).</summary>
    public Node Result => Source.Members[Source.Members.Count - 1];

    /// <summary>With a pooling: the convolution's output before it, when something outside the kernel reads it too (else it is never stored).</summary>
    public Node? Unpooled => Pool is null ? null : Outputs.FirstOrDefault(o => o != Pool);

    /// <summary>The description of a kernel whose first member is a window op (with a fused bias and relu after a conv2d).</summary>
    internal static ConvolutionCall Lower(Kernel k)
    {
        var op = k.Members[0];
        var operands = k.Inputs.Select(i => new KernelOperand(i, IndexMap.Contiguous)).ToList();
        Node? bias = null;
        if (k.Members.Count > 1 && k.Members[1].Op is Add)
        {
            var add = k.Members[1];
            bias = add.Inputs[0] == op ? add.Inputs[1] : add.Inputs[0];
        }
        var pool = k.Members.Count > 1 && k.Members[k.Members.Count - 1].Op is MaxPool or AvgPool ? k.Members[k.Members.Count - 1] : null;
        Shape image = op.Op switch
        {
            Conv2DBackpropInput or DepthwiseConv2DBackpropInput or AvgPoolGrad => op.Shape,
            _ => op.Inputs[0].Shape,
        };
        var (routine, geometry, outChannels) = op.Op switch
        {
            Conv2D => (WindowRoutine.Convolution, Conv2D.Geometry(op.OpName, image, op.Inputs[1], op.Attrs), op.Shape[3].Size),
            Conv2DBackpropInput => (WindowRoutine.ConvolutionInputGradient, Conv2D.Geometry(op.OpName, image, op.Inputs[1], op.Attrs), op.Inputs[1].Shape[3].Size),
            Conv2DBackpropFilter => (WindowRoutine.ConvolutionFilterGradient, Window2D.Of(op.OpName, image, op.Shape[0].Size, op.Shape[1].Size, op.Attrs), op.Shape[3].Size),
            DepthwiseConv2D => (WindowRoutine.DepthwiseConvolution, Conv2D.Geometry(op.OpName, image, op.Inputs[1], op.Attrs), op.Shape[3].Size),
            DepthwiseConv2DBackpropInput => (WindowRoutine.DepthwiseConvolutionInputGradient, Conv2D.Geometry(op.OpName, image, op.Inputs[1], op.Attrs), op.Inputs[0].Shape[3].Size),
            DepthwiseConv2DBackpropFilter => (WindowRoutine.DepthwiseConvolutionFilterGradient, Window2D.Of(op.OpName, image, op.Shape[0].Size, op.Shape[1].Size, op.Attrs), op.Inputs[1].Shape[3].Size),
            MaxPool => (WindowRoutine.MaxPool, Window2D.OfPool(op.OpName, image, op.Attrs), image[3].Size),
            MaxPoolGrad => (WindowRoutine.MaxPoolGradient, Window2D.OfPool(op.OpName, image, op.Attrs), image[3].Size),
            AvgPool => (WindowRoutine.AvgPool, Window2D.OfPool(op.OpName, image, op.Attrs), image[3].Size),
            AvgPoolGrad => (WindowRoutine.AvgPoolGradient, Window2D.OfPool(op.OpName, image, op.Attrs), image[3].Size),
            _ => throw new InvalidOperationException($"{op.OpName} is not a window op"),
        };
        return new ConvolutionCall(k, operands, op, routine, geometry, image[0], image[3].Size, outChannels, bias, relu: k.Members.Any(m => m.Op is Relu), pool, reluMask: k.Members.Any(m => m.Op is ReluGrad));
    }

    /// <summary>True for the ops this description covers.</summary>
    public static bool IsWindowOp(OpDef op) => op is Conv2D or Conv2DBackpropInput or Conv2DBackpropFilter
        or DepthwiseConv2D or DepthwiseConv2DBackpropInput or DepthwiseConv2DBackpropFilter or MaxPool or MaxPoolGrad or AvgPool or AvgPoolGrad;
}
