using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = condition ? a : b elementwise (TensorFlow's <c>where</c>/<c>select</c>): condition is bool, a
/// and b share a dtype, and all three broadcast together. Gradient: da = where(c, dy, 0),
/// db = where(c, 0, dy), each summed to its input's shape; none to the condition.
/// </summary>
public sealed class Where : ElementwiseOp
{
    public override string Name => "where";
    public override int Arity => 3;
    public override bool HasGradient => true;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 3, Name);
        if (inputs[0].DType != DType.Bool)
            throw new ShapeException($"{Name}: the condition must be bool, got {inputs[0].DType.ShortName()}{inputs[0].Shape}; compare first (e.g. Greater)");
        if (inputs[1].DType != inputs[2].DType)
            throw new ShapeException($"{Name}: the branches have different dtypes, {inputs[1].DType.ShortName()}{inputs[1].Shape} and {inputs[2].DType.ShortName()}{inputs[2].Shape}; cast one of them");
        var shape = Broadcasting.Shapes(Broadcasting.Shapes(inputs[0].Shape, inputs[1].Shape, Name), inputs[2].Shape, Name);
        return (inputs[1].DType, shape);
    }

    public override double Compute(double[] x, Attrs attrs) => x[0] != 0 ? x[1] : x[2];

    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Select(ScalarExpr.Arg(0), ScalarExpr.Arg(1), ScalarExpr.Arg(2));

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        MathOpSupport.Map(inputs[1].DType, inputs, outShape, x => Compute(x, attrs));

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy)
    {
        var zero = MathOpSupport.Zero(g, node.DType);
        var c = node.Inputs[0];
        return new[]
        {
            null,
            g.SumToLike(MathOpSupport.Where(g, c, dy, zero), node.Inputs[1]),
            g.SumToLike(MathOpSupport.Where(g, c, zero, dy), node.Inputs[2]),
        };
    }
}
