using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Lowered;

namespace GraphCompiler.Generator.Tests.Lowering;

/// <summary>Name and variable scopes with TensorFlow 1.x's rules.</summary>
public class ScopeLoweringTests
{
    [Fact]
    public void NameScopePrefixesOpsAndVariablesButNotGetVariable()
    {
        var model = Lowered.Model("""
            static Tensor F([Shape(2)] Tensor x)
            {
                using var _ = NameScope("outer");
                return x * Variable("v", [2], Init.Ones()) * GetVariable("g", [2], Init.Ones());
            }
            """);
        Assert.Equal(new[] { "outer/v", "g" }, model.Variables.Select(v => v.Name));
        Assert.Equal(new[] { "outer/mul", "outer/mul_1" }, model.Entries[0].Graph.OfOp("mul").Select(m => m.Name));
    }

    [Fact]
    public void ReenteredVariableScopeSharesVariablesUnderAUniquifiedNameScope()
    {
        var model = Lowered.Model("""
            static Tensor FullyConnected(Tensor x, int outputDim, string scope)
            {
                using var _ = VariableScope(scope, Reuse.Auto);
                var w = GetVariable("weights", [x.Shape[1], outputDim], Init.RandomNormal());
                var b = GetVariable("biases", [outputDim], Init.Constant(0f));
                return MatMul(x, w) + b;
            }
            static Tensor TwoLayers(Tensor x)
            {
                using var _ = VariableScope("two_layers", Reuse.Auto);
                var h1 = FullyConnected(x, 5, "h1");
                return FullyConnected(h1, 2, "h2");
            }
            static Tensor F([Shape("n", 3)] Tensor x, [Shape("n", 3)] Tensor y) => TwoLayers(x) + TwoLayers(y);
            """);
        Assert.Equal(new[] { "two_layers/h1/weights", "two_layers/h1/biases", "two_layers/h2/weights", "two_layers/h2/biases" }, model.Variables.Select(v => v.Name));
        var g = model.Entries[0].Graph;
        Assert.Equal(new[] { "two_layers/h1/matmul", "two_layers/h2/matmul", "two_layers_1/h1/matmul", "two_layers_1/h2/matmul" }, g.OfOp("matmul").Select(m => m.Name));
        Assert.Equal(4, g.OfOp("variable").Count());
    }

    [Fact]
    public void VariableInAReenteredVariableScopeUsesTheNameScope()
    {
        var model = Lowered.Model("""
            static Tensor Layer(Tensor x)
            {
                using var _ = VariableScope("layer");
                return x * Variable("v", [2], Init.Ones());
            }
            static Tensor F([Shape(2)] Tensor x) => Layer(Layer(x));
            """);
        Assert.Equal(new[] { "layer/v", "layer_1/v" }, model.Variables.Select(v => v.Name));
    }

    [Fact]
    public void ReuseIsInheritedByNestedScopes()
    {
        var model = Lowered.Model("""
            static Tensor Inner(Tensor x)
            {
                using var _ = VariableScope("inner");
                return x * GetVariable("w", [2], Init.Ones());
            }
            static Tensor F([Shape(2)] Tensor x)
            {
                Tensor first;
                using (VariableScope("outer")) { first = Inner(x); }
                using (VariableScope("outer", Reuse.True)) { return Inner(first); }
            }
            """);
        Assert.Equal(new[] { "outer/inner/w" }, model.Variables.Select(v => v.Name));
        Assert.Equal(new[] { "outer/inner/mul", "outer_1/inner/mul" }, model.Entries[0].Graph.OfOp("mul").Select(m => m.Name));
    }

    [Fact]
    public void ReuseVariablesSwitchesTheRestOfTheScope()
    {
        var model = Lowered.Model("""
            static Tensor F([Shape(2)] Tensor x)
            {
                using var scope = VariableScope("s");
                var a = GetVariable("w", [2], Init.Ones());
                scope.ReuseVariables();
                var b = GetVariable("w", [2], Init.Ones());
                return x * a * b;
            }
            """);
        Assert.Equal(new[] { "s/w" }, model.Variables.Select(v => v.Name));
        var mul = model.Entries[0].Graph.OfOp("mul").Last();
        Assert.Same(mul.Inputs[1], mul.Inputs[0].Inputs[1]);
    }

    [Fact]
    public void UnrolledCellSharesItsWeightsAcrossSteps()
    {
        var model = Lowered.Model("""
            static Tensor F([Shape(4, 3)] Tensor x)
            {
                var h = x;
                for (int t = 0; t < 3; t++)
                {
                    using var _ = VariableScope("cell", Reuse.Auto);
                    h = MatMul(h, GetVariable("w", [3, 3], Init.GlorotUniform()));
                }
                return h;
            }
            """);
        Assert.Equal(new[] { "cell/w" }, model.Variables.Select(v => v.Name));
        Assert.Equal(new[] { "cell/matmul", "cell_1/matmul", "cell_2/matmul" }, model.Entries[0].Graph.OfOp("matmul").Select(m => m.Name));
    }

    [Fact]
    public void EntryMethodsShareOneVariableStore()
    {
        var model = ModelDefinitionOf(Models.SharedVariables);
        Assert.Equal(new[] { "linear/w", "linear/b" }, model.Variables.Select(v => v.Name));
        Assert.All(model.Entries, e => Assert.Equal(new[] { "linear/w", "linear/b" }, e.Graph.OfOp("variable").Select(v => v.Name)));
        Assert.Equal(new[] { true, false }, model.Entries.Select(e => e.IsLoss));
    }

    private static GraphCompiler.Compiler.Model.ModelDefinition ModelDefinitionOf(string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.Errors);
        return GraphCompiler.Compiler.Model.ModelDefinition.Parse(run.ModelText);
    }
}
