using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.Compiler.Tests.IR;

namespace GraphCompiler.Compiler.Tests.Passes;

public class AutodiffTests
{
    private static RefTensor Vec(params double[] v) => new(DType.Float32, new[] { v.Length }, v);

    [Fact]
    public void LinearRegressionMatchesTensorFlowAfter1000Steps()
    {
        // Float32 gradient descent in the reference interpreter reproduces TensorFlow's printout.
        var train = GraphTextTests.LinearRegressionTrainStep(out _);
        var vars = new Dictionary<string, RefTensor> { ["W"] = Vec(0.3), ["b"] = Vec(-0.3) };
        var feeds = new Dictionary<string, RefTensor> { ["x"] = Vec(1, 2, 3, 4), ["y"] = Vec(0, -1, -2, -3), ["learning_rate"] = RefTensor.Scalar(0.01, DType.Float32) };
        for (int i = 0; i < 1000; i++) Interpreter.Run(train, feeds, vars);
        Assert.Equal(-0.9999969, vars["W"].Data[0], 6);
        Assert.Equal(0.9999908, vars["b"].Data[0], 6);
    }

    [Fact]
    public void AValueUsedTwiceSumsItsGradients()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float64, Shape.Scalar);
        var y = b.Add(b.Mul(x, x), x); // dy/dx = 2x + 1
        var g = Autodiff.Gradients(b, y, new[] { x })[0]!;
        b.AddOutput("g", g);
        var r = Interpreter.Outputs(b.Build(), new Dictionary<string, RefTensor> { ["x"] = RefTensor.Scalar(3) }, new Dictionary<string, RefTensor>());
        Assert.Equal(7, r["g"].Data[0]);
    }

    [Fact]
    public void UnrelatedInputsGetNoGradient()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float64, Shape.Scalar);
        var z = b.Input("z", DType.Float64, Shape.Scalar);
        var grads = Autodiff.Gradients(b, b.Mul(x, x), new[] { x, z });
        Assert.NotNull(grads[0]);
        Assert.Null(grads[1]);
    }

    [Fact]
    public void AnOpWithoutGradientOnThePathIsNamed()
    {
        var b = new GraphBuilder("t");
        var v = new VariableInfo("W", DType.Float32, Shape.Of(2), InitSpec.Zeros, true);
        var w = b.Variable(v);
        var assigned = b.Apply("assign", new[] { w, b.Mul(w, w) });
        var loss = b.Apply("reduce_sum", new[] { b.Mul(assigned, assigned) }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", false)));
        // assign is an effect: differentiation stops there (it is not on a differentiable path).
        var grads = Autodiff.Gradients(b, loss, new[] { w });
        Assert.Null(grads[0]);
    }

    [Fact]
    public void GradientNodesLiveUnderTheGradientsScope()
    {
        var train = GraphTextTests.LinearRegressionTrainStep(out _);
        Assert.Contains(train.Nodes, n => n.Name.StartsWith("gradients/", StringComparison.Ordinal));
        Assert.All(train.Effects, e => Assert.StartsWith("GradientDescent/update_", e.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void EachGradientLivesUnderItsForwardOpsGradScopeAndEachUpdateUnderItsVariable()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float64, Shape.Of(3));
        var w = b.Variable(new VariableInfo("h1/w", DType.Float64, Shape.Of(3), InitSpec.Zeros, true));
        b.PushNameScope("h1");
        var y = b.Apply("reduce_sum", new[] { b.Apply("exp", new[] { b.Mul(x, w) }) }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", false)));
        b.PopNameScope();
        Autodiff.Gradients(b, y, new[] { w });
        var names = b.Nodes.Select(n => n.Name).ToList();
        // As tf.gradients names them: the gradient of h1/exp is gradients/h1/exp_grad/...
        Assert.Contains(names, n => n.StartsWith("gradients/h1/exp_grad/", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("gradients/h1/mul_grad/", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("gradients/h1/reduce_sum_grad/", StringComparison.Ordinal));

        var train = GraphTextTests.LinearRegressionTrainStep(out _);
        Assert.Contains(train.Effects, e => e.Name == "GradientDescent/update_W/assign" && Assign.Target(e) == "W");
        Assert.All(train.Nodes.Where(n => n.Name.StartsWith("GradientDescent/", StringComparison.Ordinal)),
            n => Assert.Matches("^GradientDescent/update_(W|b)/", n.Name));
    }
}
