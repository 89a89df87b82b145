using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// The static geometry of a 2-D sliding window over an NHWC image (a convolution's filter or a pooling
/// window): strides, dilations and TensorFlow's padding. <c>VALID</c> places windows only where they fit:
/// out = ⌈(in − (k−1)·d) / s⌉. <c>SAME</c> gives out = ⌈in / s⌉ and pads (out−1)·s + (k−1)·d + 1 − in
/// elements in all, the smaller half before and the larger after (TensorFlow's asymmetric padding).
/// </summary>
public sealed class Window2D
{
    private Window2D(int h, int w, int kh, int kw, int sh, int sw, int dh, int dw, bool same)
    {
        (H, W, KH, KW, SH, SW, DH, DW) = (h, w, kh, kw, sh, sw, dh, dw);
        (OH, PadTop) = Axis(h, kh, sh, dh, same);
        (OW, PadLeft) = Axis(w, kw, sw, dw, same);
    }

    public int H { get; }
    public int W { get; }
    public int KH { get; }
    public int KW { get; }
    public int SH { get; }
    public int SW { get; }
    public int DH { get; }
    public int DW { get; }
    public int OH { get; }
    public int OW { get; }
    public int PadTop { get; }
    public int PadLeft { get; }

    /// <summary>The attributes of a windowed op: strides, dilations, padding and, for pooling, the window size.</summary>
    public static Attrs Attributes(int[] strides, int[] dilations, bool same, int[]? ksize = null)
    {
        var attrs = Attrs.Of(("strides", strides), ("dilations", dilations), ("padding", same ? "SAME" : "VALID"));
        return ksize is null ? attrs : attrs.With("ksize", ksize);
    }

    /// <summary>The geometry of a window of <paramref name="kh"/>×<paramref name="kw"/> over the NHWC shape <paramref name="x"/>.</summary>
    public static Window2D Of(string op, Shape x, int kh, int kw, Attrs attrs)
    {
        if (x.Rank != 4)
            throw new ShapeException($"{op}: the input must be NHWC [batch, height, width, channels], got {x}");
        if (!x[1].IsStatic || !x[2].IsStatic || !x[3].IsStatic)
            throw new ShapeException($"{op}: height, width and channels must be static, got {x}");
        var strides = Pair(op, "strides", attrs.GetInts("strides"));
        var dilations = Pair(op, "dilations", attrs.GetInts("dilations"));
        var padding = attrs.GetString("padding");
        if (padding is not ("SAME" or "VALID")) throw new ShapeException($"{op}: padding must be SAME or VALID, got {padding}");
        if (kh < 1 || kw < 1) throw new ShapeException($"{op}: the window must be at least 1×1, got {kh}×{kw}");
        if (strides[0] > 1 && dilations[0] > 1 || strides[1] > 1 && dilations[1] > 1)
            throw new ShapeException($"{op}: strides and dilations greater than 1 cannot be combined along one axis (as in TensorFlow)");
        var g = new Window2D(x[1].Size, x[2].Size, kh, kw, strides[0], strides[1], dilations[0], dilations[1], padding == "SAME");
        if (g.OH < 1 || g.OW < 1)
            throw new ShapeException($"{op}: a {kh}×{kw} window (dilation {g.DH}×{g.DW}) does not fit the {g.H}×{g.W} image with VALID padding");
        return g;
    }

    /// <summary>For pooling ops: the window size from <c>ksize</c>.</summary>
    public static Window2D OfPool(string op, Shape x, Attrs attrs)
    {
        var k = Pair(op, "ksize", attrs.GetInts("ksize"));
        return Of(op, x, k[0], k[1], attrs);
    }

    /// <summary>A pooling op's result type: one float NHWC input, its channels kept.</summary>
    internal static (DType DType, Shape Shape) PoolType(string op, IReadOnlyList<Node> inputs, Attrs attrs)
    {
        if (inputs.Count != 1) throw new ShapeException($"{op} takes 1 input(s), got {inputs.Count}");
        var x = inputs[0];
        if (!x.DType.IsFloat()) throw new ShapeException($"{op}: the input must be float, got {x.DType.ShortName()}");
        return (x.DType, OfPool(op, x.Shape, attrs).OutputShape(x.Shape[0], x.Shape[3]));
    }

    /// <summary>The output shape for <paramref name="channels"/> output channels.</summary>
    public Shape OutputShape(Dim batch, Dim channels) => new(new[] { batch, Dim.Of(OH), Dim.Of(OW), channels });

    /// <summary>The input row (or column) that window position <paramref name="o"/>'s tap <paramref name="k"/> reads; may lie in the padding.</summary>
    public int InputRow(int o, int k) => o * SH - PadTop + k * DH;

    public int InputColumn(int o, int k) => o * SW - PadLeft + k * DW;

    /// <summary>
    /// Calls <paramref name="tap"/>(b, oy, ox, ky, kx, iy, ix) for every window tap that lies inside the image
    /// (padding reads nothing), in that loop order: the reference evaluations are written over it.
    /// </summary>
    public void ForEachTap(int batch, Action<int, int, int, int, int, int, int> tap)
    {
        for (int b = 0; b < batch; b++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++)
                    for (int ky = 0; ky < KH; ky++)
                    {
                        int iy = InputRow(oy, ky);
                        if (iy < 0 || iy >= H) continue;
                        for (int kx = 0; kx < KW; kx++)
                        {
                            int ix = InputColumn(ox, kx);
                            if (ix >= 0 && ix < W) tap(b, oy, ox, ky, kx, iy, ix);
                        }
                    }
    }

    private static (int Out, int PadBefore) Axis(int input, int k, int stride, int dilation, bool same)
    {
        int span = (k - 1) * dilation + 1;
        if (!same) return ((input - span + stride) / stride, 0);
        int output = (input + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + span - input, 0);
        return (output, total / 2);
    }

    private static int[] Pair(string op, string name, int[] values)
    {
        if (values.Length != 2 || values[0] < 1 || values[1] < 1)
            throw new ShapeException($"{op}: {name} must be two positive numbers [height, width], got [{string.Join(", ", values)}]");
        return values;
    }
}
