using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops.Composites;

public static partial class MathComposites
{
    /// <summary>SELU's λ (Klambauer et al. 2017).</summary>
    public const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>SELU's α.</summary>
    public const double SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>relu6(x) = min(max(x, 0), 6), as where(x &lt; 6, relu(x), 6): the gradient is 1 on (0, 6) and 0 elsewhere.</summary>
    public static Node Relu6(GraphBuilder g, Node x)
    {
        using var scope = g.NameScope("relu6");
        RequireFloat(x, "relu6");
        return MathOpSupport.Where(g, Op(g, "less", x, Scalar(g, 6, x)), Relu(g, x), Scalar(g, 6, x));
    }

    /// <summary>leaky_relu(x) = x for x &gt; 0, αx otherwise.</summary>
    public static Node LeakyRelu(GraphBuilder g, Node x, double alpha)
    {
        using var scope = g.NameScope("leaky_relu");
        RequireFloat(x, "leaky_relu");
        return MathOpSupport.Where(g, Op(g, "greater", x, Scalar(g, 0, x)), x, g.Mul(Scalar(g, alpha, x), x));
    }

    /// <summary>
    /// The negative branch e^x − 1 evaluated at min(x, 0) (by where, not minimum, so the gradient
    /// at 0 is 1): the unselected branch then never overflows, which would put 0·∞ = NaN into the gradient.
    /// </summary>
    private static Node ExpMinusOneOfNegativePart(GraphBuilder g, Node x, Node positive) =>
        g.Sub(Op(g, "exp", MathOpSupport.Where(g, positive, Scalar(g, 0, x), x)), Scalar(g, 1, x));

    /// <summary>elu(x) = x for x &gt; 0, e^x − 1 otherwise.</summary>
    public static Node Elu(GraphBuilder g, Node x)
    {
        using var scope = g.NameScope("elu");
        RequireFloat(x, "elu");
        var positive = Op(g, "greater", x, Scalar(g, 0, x));
        return MathOpSupport.Where(g, positive, x, ExpMinusOneOfNegativePart(g, x, positive));
    }

    /// <summary>selu(x) = λ·x for x &gt; 0, λ·α·(e^x − 1) otherwise.</summary>
    public static Node Selu(GraphBuilder g, Node x)
    {
        using var scope = g.NameScope("selu");
        RequireFloat(x, "selu");
        var positive = Op(g, "greater", x, Scalar(g, 0, x));
        var negative = g.Mul(Scalar(g, SeluAlpha, x), ExpMinusOneOfNegativePart(g, x, positive));
        return g.Mul(Scalar(g, SeluScale, x), MathOpSupport.Where(g, positive, x, negative));
    }

    /// <summary>
    /// gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2)); with <paramref name="approximate"/>, the tanh form
    /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    /// </summary>
    public static Node Gelu(GraphBuilder g, Node x, bool approximate)
    {
        using var scope = g.NameScope("gelu");
        RequireFloat(x, "gelu");
        Node inner = approximate
            ? Op(g, "tanh", g.Mul(Scalar(g, Math.Sqrt(2 / Math.PI), x), g.Add(x, g.Mul(Scalar(g, 0.044715, x), g.Mul(x, g.Mul(x, x))))))
            : Op(g, "erf", g.Mul(x, Scalar(g, 1 / Math.Sqrt(2), x)));
        return g.Mul(g.Mul(Scalar(g, 0.5, x), x), g.Add(Scalar(g, 1, x), inner));
    }

    /// <summary>softplus(x) = ln(1 + eˣ): the <see cref="Ops.Softplus"/> primitive (stable; gradient dy·σ(x)).</summary>
    public static Node Softplus(GraphBuilder g, Node x)
    {
        RequireFloat(x, "softplus");
        return Op(g, "softplus", x);
    }

    /// <summary>softsign(x) = x / (1 + |x|).</summary>
    public static Node Softsign(GraphBuilder g, Node x)
    {
        using var scope = g.NameScope("softsign");
        RequireFloat(x, "softsign");
        return g.Div(x, g.Add(Scalar(g, 1, x), Op(g, "abs", x)));
    }

    /// <summary>swish(x) = x·σ(x) (also called SiLU).</summary>
    public static Node Swish(GraphBuilder g, Node x)
    {
        using var scope = g.NameScope("swish");
        RequireFloat(x, "swish");
        return g.Mul(x, Op(g, "sigmoid", x));
    }

    /// <summary>x − max(x) along <paramref name="axis"/>, the max held constant for differentiation (stop_gradient).</summary>
    private static Node ShiftByMax(GraphBuilder g, Node x, int[] axes) =>
        g.Sub(x, Op(g, "stop_gradient", Reduce(g, "reduce_max", x, axes, keepDims: true)));

    /// <summary>
    /// softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m) along <paramref name="axis"/>, m = max x treated as a
    /// constant (softmax does not depend on it), so no exponential overflows.
    /// </summary>
    public static Node Softmax(GraphBuilder g, Node x, int axis)
    {
        using var scope = g.NameScope("softmax");
        RequireFloat(x, "softmax");
        var axes = new[] { Axis(axis, x.Shape.Rank, "softmax") };
        var e = Op(g, "exp", ShiftByMax(g, x, axes));
        return g.Div(e, Reduce(g, "reduce_sum", e, axes, keepDims: true));
    }

    /// <summary>log_softmax(x)ᵢ = (xᵢ − m) − ln Σⱼ e^(xⱼ − m) along <paramref name="axis"/>, m = max x held constant.</summary>
    public static Node LogSoftmax(GraphBuilder g, Node x, int axis)
    {
        using var scope = g.NameScope("log_softmax");
        RequireFloat(x, "log_softmax");
        var axes = new[] { Axis(axis, x.Shape.Rank, "log_softmax") };
        var z = ShiftByMax(g, x, axes);
        return g.Sub(z, Op(g, "log", Reduce(g, "reduce_sum", Op(g, "exp", z), axes, keepDims: true)));
    }
}
