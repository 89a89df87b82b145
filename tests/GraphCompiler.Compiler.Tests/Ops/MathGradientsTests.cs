using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.Ops;

/// <summary><c>MathComposites.Gradients</c>: tf.gradients semantics, and the path named when an op has no gradient.</summary>
public class MathGradientsTests
{
    private static Dictionary<string, RefTensor> Run(GraphBuilder b, double x) =>
        Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor> { ["x"] = RefTensor.Scalar(x, DType.Float32) }, new Dictionary<string, RefTensor>());

    [Fact]
    public void TheLectureExampleGives768And32()
    {
        // x = 2, y = 2x³, z = 3 + y²: dz/dx = 2y·6x² = 768, dz/dy = 2y = 32.
        var b = new GraphBuilder("lecture");
        var x = b.Input("x", DType.Float32, Shape.Scalar);
        var y = b.Mul(b.Scalar(2, DType.Float32), b.Mul(x, b.Mul(x, x)));
        var z = b.Add(b.Scalar(3, DType.Float32), b.Apply("square", new[] { y }));
        var grads = MathComposites.Gradients(b, new[] { z }, new[] { x, y }, null);
        b.AddOutput("dx", grads[0]);
        b.AddOutput("dy", grads[1]);
        var outputs = Run(b, 2);
        Assert.Equal(768, outputs["dx"].Data[0]);
        Assert.Equal(32, outputs["dy"].Data[0]);
    }

    [Fact]
    public void SeveralYsAreSummedAndWeightedByGradYs()
    {
        var b = new GraphBuilder("sum");
        var x = b.Input("x", DType.Float32, Shape.Scalar);
        var unrelated = b.Input("u", DType.Float32, Shape.Of(2));
        var grads = MathComposites.Gradients(b, new[] { b.Mul(x, x), b.Mul(b.Scalar(3, DType.Float32), x) }, new[] { x, unrelated },
            new[] { b.Scalar(1, DType.Float32), b.Scalar(10, DType.Float32) });
        b.AddOutput("dx", grads[0]);
        b.AddOutput("du", grads[1]);
        var outputs = Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor> { ["x"] = RefTensor.Scalar(5, DType.Float32), ["u"] = new(DType.Float32, new[] { 2 }, new double[] { 1, 2 }) }, new Dictionary<string, RefTensor>());
        Assert.Equal(2 * 5 + 10 * 3, outputs["dx"].Data[0]);
        Assert.Equal(new double[] { 0, 0 }, outputs["du"].Data);
    }

    [Fact]
    public void AnOpWithoutAGradientIsNamedWithThePathFromXToY()
    {
        var b = new GraphBuilder("path");
        var x = b.Input("x", DType.Float32, Shape.Of(3));
        var scaled = b.Mul(x, b.Scalar(2, DType.Float32));
        var index = b.Apply("argmax", new[] { scaled }, Attrs.Of(("axis", 0)));
        var e = Assert.Throws<GradientPathException>(() => MathComposites.Gradients(b, new[] { index }, new[] { x }, null));
        Assert.Equal("argmax", e.Node.OpName);
        Assert.Equal(new[] { "x", scaled.Name, index.Name }, e.Path);
        Assert.Contains("x -> mul -> argmax", e.Message);
    }

    [Fact]
    public void BoolAndIntegerValuesOnTheWayCarryNoGradientAndNoError()
    {
        // relu written by hand: the comparison feeds only where's condition and a cast from bool.
        var b = new GraphBuilder("mask");
        var x = b.Input("x", DType.Float32, Shape.Scalar);
        var positive = b.Apply("greater", new[] { x, b.Scalar(0, DType.Float32) });
        var y = b.Mul(x, Cast.Apply(b, positive, DType.Float32));
        b.AddOutput("dx", MathComposites.Gradients(b, new[] { y }, new[] { x }, null)[0]);
        Assert.Equal(1, Run(b, 3)["dx"].Data[0]);
    }

    [Fact]
    public void MismatchedGradYsAreRejected()
    {
        var b = new GraphBuilder("bad");
        var x = b.Input("x", DType.Float32, Shape.Of(2));
        Assert.Contains("must match", Assert.Throws<ShapeException>(() => MathComposites.Gradients(b, new[] { x }, new[] { x }, new[] { b.Scalar(1, DType.Float32) })).Message);
        Assert.Contains("one per y", Assert.Throws<ShapeException>(() => MathComposites.Gradients(b, new[] { x }, new[] { x }, Array.Empty<Node>())).Message);
        Assert.Contains("only float tensors", Assert.Throws<ShapeException>(() => MathComposites.Gradients(b, new[] { x }, new[] { b.Input("i", DType.Int32, Shape.Scalar) }, null)).Message);
    }
}
