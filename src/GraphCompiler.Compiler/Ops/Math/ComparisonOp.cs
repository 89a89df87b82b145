using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Base of the comparisons: two numeric inputs of one dtype (broadcasting) give a bool tensor.
/// No gradient (TensorFlow treats them as not differentiable); the ops that consume a bool
/// (<c>where</c>'s condition, a cast from bool) pass no gradient back, so a comparison is
/// never asked for one on an ordinary path.
/// </summary>
public abstract class ComparisonOp : ElementwiseOp
{
    public override int Arity => 2;

    /// <summary>The comparison as a template operator.</summary>
    protected abstract BinaryOp Operator { get; }

    /// <summary>The comparison on doubles.</summary>
    protected abstract bool Test(double a, double b);

    protected override DType ResultType(DType input) => DType.Bool;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        if (inputs.Count == 2 && (inputs[0].DType == DType.Bool) != (inputs[1].DType == DType.Bool))
            throw new ShapeException($"{Name}: cannot compare {inputs[0].DType.ShortName()}{inputs[0].Shape} with {inputs[1].DType.ShortName()}{inputs[1].Shape}; cast one of them");
        return base.InferType(inputs, attrs);
    }

    public override double Compute(double[] x, Attrs attrs) => Test(x[0], x[1]) ? 1 : 0;

    public override ScalarExpr Template(Attrs attrs, DType t) => ScalarExpr.Binary(Operator, ScalarExpr.Arg(0), ScalarExpr.Arg(1));
}
