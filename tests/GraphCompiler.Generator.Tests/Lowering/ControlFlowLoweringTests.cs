using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Lowered;

namespace GraphCompiler.Generator.Tests.Lowering;

/// <summary>Loops unroll, constant branches pick one side, helpers inline, compile-time values fold.</summary>
public class ControlFlowLoweringTests
{
    [Fact]
    public void ForLoopUnrollsIntoOneCopyPerIteration()
    {
        var g = Entry("""
            static Tensor F([Shape(2)] Tensor x)
            {
                for (int i = 0; i < 3; i++) x = x * 2f;
                return x;
            }
            """);
        Assert.Equal("input constant mul constant mul constant mul", Ops(g));
        Assert.Equal("mul_2", g.Result().Name);
    }

    [Fact]
    public void ForEachOverArrayAndRangeUnrolls()
    {
        var g = Entry("""
            static Tensor F([Shape(2)] Tensor x)
            {
                foreach (var s in new[] { 1f, 2f }) x = x + s;
                foreach (var i in System.Linq.Enumerable.Range(3, 2)) x = x * i;
                return x;
            }
            """);
        Assert.Equal(new[] { 1.0, 2.0, 3.0, 4.0 }, g.OfOp("constant").Select(c => c.Attrs.GetDoubles("value")[0]));
        Assert.Equal(2, g.OfOp("add").Count());
        Assert.Equal(2, g.OfOp("mul").Count());
    }

    [Fact]
    public void BreakAndContinueFollowCompileTimeConditions()
    {
        var g = Entry("""
            static Tensor F([Shape(2)] Tensor x)
            {
                for (int i = 0; i < 10; i++)
                {
                    if (i % 2 == 1) continue;
                    if (i == 6) break;
                    x = x + (float)i;
                }
                return x;
            }
            """);
        Assert.Equal(new[] { 0.0, 2.0, 4.0 }, g.OfOp("constant").Select(c => c.Attrs.GetDoubles("value")[0]));
    }

    [Fact]
    public void ConstantIfTakesOnlyTheTrueBranch()
    {
        var g = Entry("""
            static Tensor F([Shape("n", 4)] Tensor x)
            {
                if (x.Shape[1] > 2 && x.Shape.Rank == 2) return Square(x);
                else return -x;
            }
            """);
        Assert.Equal("input square", Ops(g));
    }

    [Fact]
    public void ConditionalExpressionPicksOneOperand()
    {
        var g = Entry("""
            static Tensor F([Shape(3)] Tensor x) => x.Shape[0] == 3 ? -x : Square(x);
            """);
        Assert.Equal("input neg", Ops(g));
    }

    [Fact]
    public void SameSymbolComparesEqualAtCompileTime()
    {
        var g = Entry("""
            static Tensor F([Shape("n")] Tensor x, [Shape("n")] Tensor y) => x.Shape[0] == y.Shape[0] ? x + y : x - y;
            """);
        Assert.Equal("input input add", Ops(g));
    }

    [Fact]
    public void HelperIsInlinedAtEachCall()
    {
        var g = Entry("""
            static Tensor Dense(Tensor x, int units)
            {
                var w = Variable("w", [x.Shape[1], units], Init.Zeros());
                return MatMul(x, w);
            }
            static Tensor F([Shape("n", 4)] Tensor x) => Dense(Dense(x, 3), 2);
            """);
        Assert.Equal("input variable matmul variable matmul", Ops(g));
        Assert.Equal(new[] { "[4, 3]", "[3, 2]" }, g.OfOp("variable").Select(v => v.Shape.ToString()));
        Assert.Equal("[n, 2]", g.Result().Shape.ToString());
    }

    [Fact]
    public void HelperInAnotherClassAndFileIsInlined()
    {
        var run = GeneratorHarness.Run(
            ("Model.cs", Expect.InModel("static Tensor F([Shape(2)] Tensor x) => Layers.Twice(x);")),
            ("Layers.cs", Models.Usings + "static class Layers { public static Tensor Twice(Tensor t) => t + t; }"));
        Assert.Empty(run.Errors);
        Assert.Contains("add(%0, %0)", run.ModelText);
    }

    [Fact]
    public void LocalFunctionSeesEnclosingLocals()
    {
        var g = Entry("""
            static Tensor F([Shape(2)] Tensor x)
            {
                float scale = 3f;
                Tensor Scaled(Tensor t) => t * scale;
                return Scaled(Scaled(x));
            }
            """);
        Assert.Equal("input constant mul constant mul", Ops(g));
    }

    [Fact]
    public void ShapeArithmeticIsFolded()
    {
        var g = Entry("""
            static Tensor F([Shape(2, 3)] Tensor x)
            {
                var w = Variable("w", [x.Shape[1] * 2, x.Shape[-2] + 1], Init.Zeros());
                var flat = Reshape(x, [x.Shape[0] * x.Shape[1]]);
                return MatMul(Reshape(flat, [1, -1]), Reshape(w, [6, 3]));
            }
            """);
        Assert.Equal("[6, 3]", g.OfOp("variable").Single().Shape.ToString());
        Assert.Equal(new[] { "[6]", "[1, 6]", "[6, 3]" }, g.OfOp("reshape").Select(r => r.Shape.ToString()));
    }

    [Fact]
    public void ReshapePassesSymbolicDimsAndInfersMinusOne()
    {
        var g = Entry("""
            static (Tensor, Tensor) F([Shape("n", 2, 3)] Tensor x) => (Reshape(x, [x.Shape[0], -1]), Reshape(x, [-1, 6]));
            """);
        Assert.Equal(new[] { "[n, 6]", "[n, 6]" }, g.OfOp("reshape").Select(r => r.Shape.ToString()));
        Assert.Equal(new[] { "item1", "item2" }, g.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void TuplesDeconstructAndLocalsReassign()
    {
        var g = Entry("""
            static (Tensor A, Tensor B) Split(Tensor x) => (x * 2f, x * 3f);
            static Tensor F([Shape(2)] Tensor x)
            {
                var (a, b) = Split(x);
                var pair = Split(a);
                (a, b) = (b, pair.B);
                a += b;
                return a;
            }
            """);
        Assert.Equal("add", g.Result().OpName);
        var mulFactors = g.OfOp("mul").Select(m => m.Inputs[1].Attrs.GetDoubles("value")[0]).ToList();
        Assert.Equal(new[] { 2.0, 3.0, 2.0, 3.0 }, mulFactors);
        Assert.Equal(new[] { "mul_1", "mul_3" }, g.Result().Inputs.Select(i => i.Name));
    }

    [Fact]
    public void ArraysOfTensorsAreFilledAndRead()
    {
        var g = Entry("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var steps = new Tensor[3];
                steps[0] = x;
                for (int t = 1; t < steps.Length; t++) steps[t] = Square(steps[t - 1]);
                Tensor sum = 0f;
                foreach (var s in steps) sum = sum + s;
                return sum;
            }
            """);
        Assert.Equal(2, g.OfOp("square").Count());
        Assert.Equal(3, g.OfOp("add").Count());
    }

    [Fact]
    public void MathAndInterpolationFoldAtCompileTime()
    {
        var model = Lowered.Model("""
            static Tensor F([Shape(4, 8)] Tensor x)
            {
                for (int i = 0; i < 2; i++)
                {
                    using var _ = NameScope($"layer{i}");
                    var std = (float)System.Math.Sqrt(2.0 / x.Shape[1]);
                    x = MatMul(x, Variable("w", [8, 8], Init.RandomNormal(0f, std)));
                }
                return x;
            }
            """);
        Assert.Equal(new[] { "layer0/w", "layer1/w" }, model.Variables.Select(v => v.Name));
        Assert.Equal(0.5, model.Variables[0].Init.B);
        Assert.Equal(new[] { "layer0/matmul", "layer1/matmul" }, model.Entries[0].Graph.OfOp("matmul").Select(m => m.Name));
    }
}
