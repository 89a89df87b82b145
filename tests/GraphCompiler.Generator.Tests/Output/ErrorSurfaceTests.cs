using GraphCompiler.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Tests.Output;

/// <summary>
/// A model with build errors still gets its public surface (constructors, Variables, entry methods,
/// TrainStep) with bodies that throw, so the code using it compiles and only the real error shows.
/// </summary>
public class ErrorSurfaceTests
{
    /// <summary>User code that touches every member of the surface of <c>M</c> below.</summary>
    private const string Use = """

        public static class UseModel
        {
            public static float Run()
            {
                var m = new M(seed: 1);
                var replica = new M(m);
                m.InitializeVariables();
                GraphCompiler.Runtime.IModel model = m;
                var w = m.Variables.W;
                NDArray<float> p = m.Predict(new float[] { 1, 2 });
                return m.TrainStep(new float[] { 1, 2 }, new float[] { 1, 2 }, learningRate: 0.1f) + p[0] + w.Data[0] + model.GlobalStep;
            }
        }
        """;

    private static string Model(string loss, string attribute = "[Model]") => Models.Usings + "using GraphCompiler.Runtime;\n" + attribute + """

        public partial class M
        {
            static Tensor Predict([Shape("n")] Tensor x) => x * Variable("W", [1], Init.Ones());

        """ + loss + "\n}\n" + Use;

    private static void OnlyGeneratorErrors(GeneratorRun run, params string[] ids)
    {
        Assert.Empty(run.CSharpProblems);
        Assert.Equal(ids, run.Errors.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));
        var generated = Assert.Single(run.Sources).Value;
        Assert.Contains("throw new InvalidOperationException(@\"model M has build errors: see " + ids[0], generated);
    }

    [Fact]
    public void GC0401_NonScalarLoss_LeavesTheModelsUsersCompiling()
    {
        // The compiler stages fail after lowering: the train step is never built.
        OnlyGeneratorErrors(GeneratorHarness.Run(Model("""
            [Loss] static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y) => Square(Predict(x) - y);
            """)), "GC0401");
    }

    [Fact]
    public void GC0402_LossWithoutVariables_LeavesTheModelsUsersCompiling()
    {
        OnlyGeneratorErrors(GeneratorHarness.Run(Model("""
            [Loss] static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y) => ReduceSum(Square(x - y));
            """)), "GC0402");
    }

    [Fact]
    public void GC0405_BadSchedule_LeavesTheModelsUsersCompiling()
    {
        OnlyGeneratorErrors(GeneratorHarness.Run(Model("""
            [Loss] static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y) => ReduceSum(Square(Predict(x) - y));
            """, "[Model(Schedule = LearningRateDecay.PiecewiseConstant, Boundaries = [10], Values = [1f])]")), "GC0405");
    }

    /// <summary>User code of the gradient set of <c>M</c>: the set, both <c>ComputeGradients</c> and <c>ApplyGradients</c>.</summary>
    private const string UseGradients = """

        public static class UseGradients
        {
            public static float Run(M m)
            {
                var g = new M.MGradients();
                float loss = m.ComputeGradients(new float[] { 1, 2 }, new float[] { 1, 2 }, g, accumulate: true);
                M.MGradients fresh = m.ComputeGradients(new float[] { 1, 2 }, new float[] { 1, 2 });
                m.ApplyGradients(fresh, 0.1f);
                return loss + g.W.Values[0] + g.Loss;
            }
        }
        """;

    [Theory]
    [InlineData("Square(Predict(x) - y)", "GC0401")]                          // fails after lowering
    [InlineData("ReduceSum(Square(MatMul(Predict(x), y)))", "GC0200")]        // fails in lowering
    public void TheGradientSetAndItsMethodsStayOnTheSurface(string loss, string error)
    {
        var run = GeneratorHarness.Run(Model($$"""
            [Loss] static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y) => {{loss}};
            """, "[Model(GradientSet = true)]") + UseGradients);
        OnlyGeneratorErrors(run, error);
        Assert.Contains("public sealed class MGradients : GradientSet", Assert.Single(run.Sources).Value);
    }

    [Fact]
    public void GC0200_LoweringError_LeavesTheModelsUsersCompiling()
    {
        // Lowering stops at the error: the loss has no graph, its signature comes from its C# declaration.
        var run = GeneratorHarness.Run(Model("""
            [Loss] static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y) => ReduceSum(Square(MatMul(Predict(x), y)));
            """));
        OnlyGeneratorErrors(run, "GC0200");
    }

    [Fact]
    public void SurfaceHasTheExactSignaturesOfTheEntriesThatLowered()
    {
        var run = GeneratorHarness.Run(Models.Usings + """
            [Model]
            public partial class M
            {
                static (Tensor A, Tensor B) Pair([Shape("rows", "cols")] Tensor x) => (ReduceSum(x), Cast(x, DType.Int32));
                static Tensor Broken([Shape(2)] Tensor x) => MatMul(x, x);
            }
            """);
        Assert.Equal("GC0200", Assert.Single(run.Errors).Id);
        var generated = Assert.Single(run.Sources).Value;
        Assert.Contains("public (float, NDArray<int>) Pair(ReadOnlySpan<float> x, int rows) => throw", generated);
        Assert.Contains("public NDArray<float> Broken(ReadOnlySpan<float> x) => throw", generated);
        Assert.Empty(run.CSharpProblems);
    }

    [Fact]
    public void TheThrowingBodiesNameTheError()
    {
        var run = GeneratorHarness.Run(Models.Usings + """
            [Model]
            public partial class M
            {
                static Tensor F([Shape(2)] Tensor x) => MatMul(x, x);
            }
            """);
        Assert.Contains("// GraphCompiler model M: model M has build errors: see GC0200.", Assert.Single(run.Sources).Value);
    }

    [Fact]
    public void NestedScopesWithTheSameName_Compile()
    {
        var run = GeneratorHarness.Run(Models.Usings + """
            [Model]
            public partial class M
            {
                [Loss] static Tensor Loss([Shape(2)] Tensor x)
                {
                    using var outer = VariableScope("block");
                    using var inner = VariableScope("block");
                    using var innermost = VariableScope("block_scope");
                    var m = GetVariable("m_variables", [2], Init.Ones());
                    return ReduceSum(x * m * GetVariable("block", [2], Init.Ones()));
                }
            }
            """);
        Assert.Empty(run.Errors);
        Assert.Empty(run.CSharpProblems);
    }

    [Fact]
    public void VariablesNamedLikeVariableSetMembers_Compile()
    {
        // Every public or protected member of VariableSet and object, spelled as a TF variable name.
        var members = typeof(GraphCompiler.Runtime.VariableSet).GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            .Where(m => m is not System.Reflection.MethodBase { IsSpecialName: true } && !m.Name.StartsWith('_') && !m.Name.Contains('<') && !m.Name.Contains('.'))
            .Select(m => m.Name).Distinct().ToList();
        Assert.Contains("GetEnumerator", members);
        var variables = string.Join(" + ", members.Select(m => $"ReduceSum(x * Variable(\"{Snake(m)}\", [2], Init.Ones()))"));
        var run = GeneratorHarness.Run(Models.Usings + $$"""
            [Model]
            public partial class M
            {
                [Loss] static Tensor Loss([Shape(2)] Tensor x) => {{variables}};
            }
            """);
        Assert.Empty(run.Errors);
        Assert.Empty(run.CSharpProblems);
    }

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
