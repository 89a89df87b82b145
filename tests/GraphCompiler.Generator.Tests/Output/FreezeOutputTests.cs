using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Output;

/// <summary>
/// Freezing removes work from the generated train step: a frozen variable's train step (a run-time
/// variant or the build-time frozen step) has no gradient of it after dead-code elimination, no slot of it
/// and no update of it, while the full step has all three.
/// </summary>
public class FreezeOutputTests
{
    private static string Model(string settings) => Models.Usings + $$"""
        [Model(Optimizer = Optimizer.Adam, {{settings}})]
        public partial class M
        {
            static Tensor Dense(Tensor x, int inputs, int units, string scope)
            {
                using var _ = VariableScope(scope);
                return MatMul(x, GetVariable("kernel", [inputs, units], Init.RandomNormal())) + GetVariable("bias", [units], Init.Zeros());
            }

            [Loss]
            static Tensor Loss([Shape("n", 4)] Tensor x, [Shape("n", 3)] Tensor y) =>
                ReduceMean(Square(Dense(Tanh(Dense(x, 4, 5, "body")), 5, 3, "head") - y));
        }
        """;

    /// <summary>Each train step's IR after the simplification passes (dead-code elimination last), by method.</summary>
    private static Dictionary<string, Graph> Optimized(string source, out GeneratorRun run)
    {
        run = GeneratorHarness.Run(source);
        Assert.Empty(run.Errors);
        Assert.Empty(run.CSharpProblems);
        var graphs = new Dictionary<string, Graph>(StringComparer.Ordinal);
        const string suffix = ": IR after EliminateDeadCodePass";
        ModelEmitter.Emit(ModelDefinition.Parse(run.ModelText), dump: (title, text) =>
        {
            if (title.StartsWith("TrainStep", StringComparison.Ordinal) && title.EndsWith(suffix, StringComparison.Ordinal))
                graphs[title.Substring(0, title.Length - suffix.Length)] = GraphText.Parse(text);
        });
        return graphs;
    }

    /// <summary>
    /// Asserts that <paramref name="g"/> does no work for the variables under <paramref name="scope"/>: no node
    /// but the variables has one of their shapes (each is unique to the variable and its gradient in this
    /// model), no slot variable of theirs is read, and no effect writes under the scope.
    /// </summary>
    private static void NoWorkFor(Graph g, string scope)
    {
        var frozen = g.Nodes.Where(n => n.OpName == "variable" && n.Attrs.GetString("name").StartsWith(scope + "/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(frozen);
        Assert.All(frozen, v => Assert.DoesNotContain("/Adam", v.Attrs.GetString("name"), StringComparison.Ordinal));
        foreach (var v in frozen)
            Assert.DoesNotContain(g.Nodes, n => n.OpName != "variable" && n.Shape.Equals(v.Shape));
        Assert.DoesNotContain(g.Effects, e => Assign.Target(e).StartsWith(scope + "/", StringComparison.Ordinal));
    }

    private static void TrainsAll(Graph g, string scope)
    {
        Assert.Contains(g.Effects, e => Assign.Target(e) == scope + "/kernel");
        Assert.Contains(g.Effects, e => Assign.Target(e) == scope + "/kernel/Adam");
        var kernel = g.Nodes.Single(n => n.OpName == "variable" && n.Attrs.GetString("name") == scope + "/kernel");
        Assert.Contains(g.Nodes, n => n.OpName != "variable" && n.Shape.Equals(kernel.Shape));
    }

    [Fact]
    public void Each_freezable_combination_is_a_private_step_without_the_frozen_gradients_slots_and_updates()
    {
        var steps = Optimized(Model("""Freezable = new[] { "body", "head" }"""), out var run);
        // Freezing both would train nothing: that combination has no step.
        Assert.Equal(new[] { "TrainStep", "TrainStepFreezeBody", "TrainStepFreezeHead" }, steps.Keys.Order());
        TrainsAll(steps["TrainStep"], "body");
        TrainsAll(steps["TrainStep"], "head");
        NoWorkFor(steps["TrainStepFreezeBody"], "body");
        TrainsAll(steps["TrainStepFreezeBody"], "head");
        NoWorkFor(steps["TrainStepFreezeHead"], "head");
        TrainsAll(steps["TrainStepFreezeHead"], "body");
        Assert.True(steps["TrainStepFreezeBody"].Nodes.Count < steps["TrainStep"].Nodes.Count);

        var code = Assert.Single(run.Sources).Value;
        Assert.Contains("private float TrainStepFreezeBody(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float learningRate)", code);
        Assert.Contains("if (_frozenScopeMask != 0) return TrainStepOfFrozenScopes(x, y, learningRate);", code);
        Assert.Contains("public void Freeze(params string[] scopes)", code);
        Assert.Contains("FreezeVariantMasks = { 1, 2 }", code);
    }

    [Fact]
    public void A_build_time_frozen_scope_has_no_slots_and_no_gradient_work()
    {
        var steps = Optimized(Model("""Frozen = new[] { "body" }"""), out var run);
        Assert.Equal(new[] { "TrainStep" }, steps.Keys);
        NoWorkFor(steps["TrainStep"], "body");
        TrainsAll(steps["TrainStep"], "head");
        var code = Assert.Single(run.Sources).Value;
        Assert.DoesNotContain("body/kernel/Adam", code, StringComparison.Ordinal);
        Assert.Contains("head/kernel/Adam", code, StringComparison.Ordinal);
        Assert.DoesNotContain("Freeze(", code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_freeze_settings_is_generated_as_before()
    {
        var steps = Optimized(Model("Beta1 = 0.9f"), out var run);
        Assert.Equal(new[] { "TrainStep" }, steps.Keys);
        Assert.DoesNotContain("_frozenScopeMask", Assert.Single(run.Sources).Value, StringComparison.Ordinal);
    }
}
