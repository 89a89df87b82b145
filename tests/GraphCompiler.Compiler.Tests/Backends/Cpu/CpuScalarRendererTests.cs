using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Tests.Backends.Cpu;

public class CpuScalarRendererTests
{
    private static string Scalar(string op, DType t, Attrs? attrs = null) =>
        CpuScalarRenderer.Scalar(((ElementwiseOp)OpRegistry.Get(op)).Template(attrs ?? Attrs.Empty, t), new[] { "a", "b", "c" });

    private static string Vector(string op, DType t) =>
        CpuScalarRenderer.Vector(((ElementwiseOp)OpRegistry.Get(op)).Template(Attrs.Empty, t), new[] { "a", "b", "c" });

    [Fact]
    public void TemplatesAreSpelledAsTheHandWrittenCSharpWas()
    {
        Assert.Equal("(a + b)", Scalar("add", DType.Float32));
        Assert.Equal("(a * a)", Scalar("square", DType.Float32));
        Assert.Equal("(a > 0f ? a : 0f)", Scalar("relu", DType.Float32));
        Assert.Equal("(a > 0f ? 1f : a < 0f ? -1f : a)", Scalar("sign", DType.Float32));
        Assert.Equal("(1d / Math.Sqrt(a))", Scalar("rsqrt", DType.Float64));
        Assert.Equal("MathF.Max(a, b)", Scalar("maximum", DType.Float32));
        Assert.Equal("GraphCompiler.Runtime.Execution.CpuOps.Sigmoid(a)", Scalar("sigmoid", DType.Float32));
        Assert.Equal("(a ? b : c)", Scalar("where", DType.Float32));
        Assert.Equal("(a <= b)", Scalar("less_equal", DType.Bool));
        Assert.Equal("((int)a)", Scalar("cast", DType.Int32, Cast.To(DType.Float32, DType.Int32)));
        Assert.Equal("(a ? 1f : 0f)", Scalar("cast", DType.Float32, Cast.To(DType.Bool, DType.Float32)));
        Assert.Equal("Vector.ConditionalSelect(Vector.GreaterThan(b, Vector<float>.Zero), a, Vector<float>.Zero)", Vector("relu_grad", DType.Float32));
        Assert.Equal("Vector.Exp(a)", Vector("exp", DType.Float32));
    }

    /// <summary>
    /// The ops whose fused kernels run in Vector&lt;float&gt; registers: the same set as before templates,
    /// so a kernel's speed does not change with the move to templates.
    /// </summary>
    [Fact]
    public void TheOpsThatVectoriseAreTheSameAsBefore()
    {
        var vectorised = OpRegistry.All.OfType<ElementwiseOp>().Where(op => op is not (ComparisonOp or LogicalOp or Cast or Where))
            .Where(op => CpuScalarRenderer.Vectorizes(op.Template(Attrs.Empty, DType.Float32), DType.Float32)).Select(op => op.Name).OrderBy(n => n);
        Assert.Equal(new[] { "add", "div", "exp", "log", "log1p", "mul", "neg", "relu", "relu_grad", "sigmoid", "softplus", "square", "stop_gradient", "sub" }, vectorised);
        Assert.False(CpuScalarRenderer.Vectorizes(((ElementwiseOp)OpRegistry.Get("relu")).Template(Attrs.Empty, DType.Int32), DType.Int32));
        Assert.True(CpuScalarRenderer.Vectorizes(((ElementwiseOp)OpRegistry.Get("mul")).Template(Attrs.Empty, DType.Int32), DType.Int32));
    }
}
