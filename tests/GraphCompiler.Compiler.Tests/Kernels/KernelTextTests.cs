using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Tests.Kernels;

public class KernelTextTests
{
    [Fact]
    public void AFlatChainReadsAsItsOperandsStatementsAndStores()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(Dim.Sym("n")));
        var y = b.Apply("relu", new[] { b.Add(b.Mul(x, x), b.Constant(1)) });
        b.AddOutput("y", y);
        var text = KernelText.Write(LowerKernelsPass.Run(Fusion.Plan(b.Build())));
        Assert.Equal(
            "kernel K0_mul_add_relu flat f32[n]\n" +
            "  in %0 contiguous\n" +
            "  in %2 literal 1\n" +
            "  %1 = (%0 * %0)\n" +
            "  %3 = (%1 + %2)\n" +
            "  %4 = select((%3 > 0), %3, 0)\n" +
            "  out %4 in-place\n", text);
    }

    [Fact]
    public void ABodyReadingAValueFromNowhereFailsTheCheckAtThePassName()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(4));
        var stray = b.Input("stray", DType.Float32, Shape.Of(4));
        var y = b.Neg(x);
        b.AddOutput("y", y);
        var kernel = Assert.Single(Fusion.Plan(b.Build()));
        var broken = new ElementwiseKernel(kernel, new IterationSpace(IterationKind.Flat, y.Shape), new[] { new KernelOperand(x, IndexMap.Contiguous) },
            Array.Empty<Node>(), new[] { new KernelStatement(y, -ScalarExpr.Arg(0), new[] { stray }) }, null);
        var error = Assert.Throws<InvalidOperationException>(() => KernelChecks.Validate(new KernelDescription[] { broken }, "SomePass"));
        Assert.StartsWith("after SomePass: K0_neg reads %1", error.Message);
    }
}
