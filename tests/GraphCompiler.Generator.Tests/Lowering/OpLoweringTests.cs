using IrDType = GraphCompiler.Compiler.IR.DType;
using GraphCompiler.Generator.Tests.Harness;
using static GraphCompiler.Generator.Tests.Harness.Lowered;

namespace GraphCompiler.Generator.Tests.Lowering;

/// <summary>Each op call and operator lowers to the expected nodes and attributes.</summary>
public class OpLoweringTests
{
    [Fact]
    public void ScalarOperandsBecomeConstantsOfTheTensorsDType()
    {
        var g = Entry("""
            static Tensor F([Shape(2, DType = DType.Float64)] Tensor x) => 2f - x / 4;
            """);
        Assert.Equal("input constant div constant sub", Ops(g));
        Assert.All(g.OfOp("constant"), c => Assert.Equal(IrDType.Float64, c.DType));
        Assert.Equal(IrDType.Float64, g.Result().DType);
        Assert.Equal("Const_1", g.Result().Inputs[0].Name);
    }

    [Fact]
    public void ImplicitConversionFromFloatIsAScalarConstant()
    {
        var g = Entry("""
            static Tensor F([Shape(2)] Tensor x)
            {
                Tensor c = 1.5f;
                return x + c;
            }
            """);
        var c = g.OfOp("constant").Single();
        Assert.Equal(new[] { 1.5 }, c.Attrs.GetDoubles("value"));
        Assert.Equal(0, c.Shape.Rank);
    }

    [Fact]
    public void ConstantsTakeTheirShape()
    {
        var g = Entry("""
            static Tensor F([Shape(2, 2)] Tensor x) => x + Constant(1f) + Constant([1f, 2f]) + Constant([1f, 2f, 3f, 4f], [2, 2]);
            """);
        Assert.Equal(new[] { "[]", "[2]", "[2, 2]" }, g.OfOp("constant").Select(c => c.Shape.ToString()));
    }

    [Fact]
    public void ReduceSumNormalisesAxes()
    {
        var g = Entry("""
            static Tensor F([Shape(2, 3, 4)] Tensor x) => ReduceSum(x, [-1, 0], keepDims: true);
            """);
        var r = g.OfOp("reduce_sum").Single();
        Assert.Equal(new[] { 0, 2 }, r.Attrs.GetInts("axes"));
        Assert.True(r.Attrs.GetBool("keepdims"));
        Assert.Equal("[1, 3, 1]", r.Shape.ToString());
    }

    [Fact]
    public void ReduceMeanOfStaticDimsDividesByAConstant()
    {
        var g = Entry("""
            static Tensor F([Shape(2, 3)] Tensor x) => ReduceMean(x, [1]);
            """);
        Assert.Equal("input reduce_sum constant div", Ops(g));
        Assert.Equal(new[] { 3.0 }, g.OfOp("constant").Single().Attrs.GetDoubles("value"));
    }

    [Fact]
    public void ReduceMeanOverASymbolicDimDividesByElementCount()
    {
        var g = Entry("""
            static Tensor F([Shape("n", 3)] Tensor x) => ReduceMean(x, [0]);
            """);
        Assert.Equal("input reduce_sum element_count div", Ops(g));
        Assert.Equal(new[] { 0 }, g.OfOp("element_count").Single().Attrs.GetInts("axes"));
        Assert.Equal("[3]", g.Result().Shape.ToString());
    }

    [Fact]
    public void TransposeReversesAxesByDefault()
    {
        var g = Entry("""
            static (Tensor, Tensor) F([Shape(2, 3, 4)] Tensor x) => (Transpose(x), Transpose(x, [0, 2, 1]));
            """);
        Assert.Equal(new[] { "[4, 3, 2]", "[2, 4, 3]" }, g.OfOp("transpose").Select(t => t.Shape.ToString()));
        Assert.Equal(new[] { 2, 1, 0 }, g.OfOp("transpose").First().Attrs.GetInts("perm"));
    }

    [Fact]
    public void MatMulCarriesTransposeFlags()
    {
        var g = Entry("""
            static Tensor F([Shape(3, 2)] Tensor a, [Shape(4, 3)] Tensor b) => MatMul(a, b, transposeA: true, transposeB: true);
            """);
        var m = g.OfOp("matmul").Single();
        Assert.True(m.Attrs.GetBool("transpose_a"));
        Assert.True(m.Attrs.GetBool("transpose_b"));
        Assert.Equal("[2, 4]", m.Shape.ToString());
    }

    [Fact]
    public void AssignIsAStateUpdate()
    {
        var g = Entry("""
            static Tensor F([Shape(1)] Tensor x)
            {
                var count = Variable("count", [1], Init.Zeros(), trainable: false);
                return Assign(count, count + x);
            }
            """);
        var assign = Assert.Single(g.Effects);
        Assert.Equal("assign", assign.OpName);
        Assert.Same(assign, g.Result());
        Assert.False(g.Variables["count"].Trainable);
    }

    [Fact]
    public void VoidEntryAndOutputEntryWithoutParameters()
    {
        var model = Lowered.Model("""
            static void Reset([Shape(1)] Tensor value) => Assign(Variable("v", [1], Init.Ones()), value);
            [Output] static Tensor Read() => Variable("r", [2], Init.Constant([1f, 2f]));
            """);
        Assert.Empty(model.Entries[0].Graph.Outputs);
        Assert.Single(model.Entries[0].Graph.Effects);
        Assert.Empty(model.Entries[1].Parameters);
        Assert.Equal(new[] { 1.0, 2.0 }, model.Variables[1].Init.Values);
    }

    [Fact]
    public void VariablesAreUniquifiedAcrossTheModel()
    {
        var model = Lowered.Model("""
            static Tensor F([Shape(1)] Tensor x) => x * Variable("W", [1], Init.Ones()) * Variable("W", [1], Init.Ones());
            static Tensor G([Shape(1)] Tensor x) => x * Variable("W", [1], Init.Ones());
            """);
        Assert.Equal(new[] { "W", "W_1", "W_2" }, model.Variables.Select(v => v.Name));
        Assert.Equal("W_2", model.Entries[1].Graph.OfOp("variable").Single().Name);
    }

    [Fact]
    public void InitializersMapToSpecsWithDeterministicOpSeeds()
    {
        var model = Lowered.Model("""
            static Tensor F([Shape(2)] Tensor x)
            {
                var a = Variable("a", [2], Init.RandomNormal(1f, 2f));
                var b = Variable("b", [2], Init.RandomUniform(-1f, 1f, seed: 42));
                var c = Variable("c", [2], Init.TruncatedNormal(stddev: 0.5f));
                var d = Variable("d", [2], Init.GlorotUniform());
                var e = Variable("e", [2], Init.Ones(), dtype: DType.Float64);
                var f = Variable("f", [2], Init.Constant(0.3f));
                return x * a * b * c * d * f;
            }
            """);
        var specs = model.Variables.Select(v => $"{v.Name}:{v.Init.Kind}({v.Init.A},{v.Init.B})#{v.Init.OpSeed}").ToList();
        Assert.Equal(new[]
        {
            "a:random_normal(1,2)#1", "b:random_uniform(-1,1)#42", "c:truncated_normal(0,0.5)#3",
            "d:glorot_uniform(0,0)#4", "e:ones(0,0)#0", "f:constant(0,0)#0",
        }, specs);
        Assert.Equal(IrDType.Float64, model.Variables[4].DType);
        Assert.Equal(new[] { 0.3 }, model.Variables[5].Init.Values);
    }
}
