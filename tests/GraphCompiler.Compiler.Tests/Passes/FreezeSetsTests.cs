using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Passes.Optimizers;

namespace GraphCompiler.Compiler.Tests.Passes;

/// <summary>Scope matching of <see cref="FreezeSets"/> and the train step it shapes.</summary>
public class FreezeSetsTests
{
    [Theory]
    [InlineData("body", "body/w", true)]
    [InlineData("body/", "body/dense/kernel", true)]
    [InlineData("body/w", "body/w", true)]
    [InlineData("body", "body2/w", false)]
    [InlineData("body/w", "body/w2", false)]
    [InlineData("", "w", false)]
    public void A_name_matches_its_variable_and_whole_scope_segments(string scope, string variable, bool matches) =>
        Assert.Equal(matches, FreezeSets.Matches(scope, variable));

    /// <summary>loss = Σ (tanh(x·body) · head − y)², under Momentum so that trained variables get a slot.</summary>
    private static EntryPoint Loss()
    {
        var body = new VariableInfo("body/w", DType.Float32, Shape.Of(3, 4), InitSpec.Constant(0.1), true);
        var head = new VariableInfo("head/w", DType.Float32, Shape.Of(4, 2), InitSpec.Constant(0.1), true);
        var b = new GraphBuilder("Loss");
        var x = b.Input("x", DType.Float32, Shape.Of(5, 3));
        var y = b.Input("y", DType.Float32, Shape.Of(5, 2));
        var hidden = b.Apply("tanh", new[] { b.Apply("matmul", new[] { x, b.Variable(body) }, MatMul.Flags(false, false)) });
        var output = b.Apply("matmul", new[] { hidden, b.Variable(head) }, MatMul.Flags(false, false));
        var loss = b.Apply("reduce_sum", new[] { b.Apply("square", new[] { b.Sub(output, y) }) }, Attrs.Of(("axes", new[] { 0, 1 }), ("keepdims", false)));
        b.AddOutput("result", loss);
        var parameters = new[] { new ModelParameter("x", DType.Float32, Shape.Of(5, 3)), new ModelParameter("y", DType.Float32, Shape.Of(5, 2)) };
        return new EntryPoint("Loss", true, parameters, b.Build());
    }

    private static IEnumerable<string> Updated(Graph g) => g.Effects.Select(Assign.Target).Order();

    private static IEnumerable<string> VariablesOf(Graph g) => g.Nodes.Where(n => n.OpName == "variable").Select(n => n.Attrs.GetString("name")).Order();

    [Fact]
    public void Frozen_variables_get_no_update_no_slot_and_after_simplification_no_gradient()
    {
        var full = PassPipeline.Run(OptimizerPass.BuildTrainStep(Loss(), "momentum"));
        Assert.Equal(new[] { "body/w", "body/w/Momentum", "head/w", "head/w/Momentum" }, Updated(full));

        var headOnly = PassPipeline.Run(OptimizerPass.BuildTrainStep(Loss(), "momentum", new[] { "body" }));
        Assert.Equal(new[] { "head/w", "head/w/Momentum" }, Updated(headOnly));
        Assert.Equal(new[] { "body/w", "head/w", "head/w/Momentum" }, VariablesOf(headOnly));
        Assert.DoesNotContain(headOnly.Nodes, n => n.OpName != "variable" && n.Shape.Equals(Shape.Of(3, 4)));

        // The gradient still flows through a frozen head to the body, but none is computed for the head's weights.
        var bodyOnly = PassPipeline.Run(OptimizerPass.BuildTrainStep(Loss(), "momentum", new[] { "head/" }));
        Assert.Equal(new[] { "body/w", "body/w/Momentum" }, Updated(bodyOnly));
        Assert.DoesNotContain(bodyOnly.Nodes, n => n.OpName != "variable" && n.Shape.Equals(Shape.Of(4, 2)));
    }

    [Fact]
    public void Build_time_frozen_scopes_travel_in_the_optimizer_settings()
    {
        var spec = new OptimizerSpec("momentum").With(FreezeSets.FrozenKey, FreezeSets.Join(new[] { "body", "x/y" })).ToString();
        Assert.Equal(new[] { "body", "x/y" }, FreezeSets.Frozen(OptimizerSpec.Parse(spec)));
        Assert.Equal(new[] { "head/w", "head/w/Momentum" }, Updated(OptimizerPass.BuildTrainStep(Loss(), spec)));
        var e = Assert.Throws<CompileException>(() => OptimizerPass.BuildTrainStep(Loss(), spec, new[] { "head" }));
        Assert.Equal("GC0402", e.Id);
        Assert.Contains("(frozen: body, x/y, head)", e.Message);
    }
}
