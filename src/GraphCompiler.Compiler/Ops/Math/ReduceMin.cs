using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// y = min x over <c>axes</c> (+∞ for an empty axis; NaN propagates). Gradient (TensorFlow's): dy is
/// shared equally among the positions that attain the minimum, dx = dy · [x = y] / Σ[x = y].
/// </summary>
public sealed class ReduceMin : FoldReduction
{
    public override string Name => "reduce_min";
    protected override double Identity => double.PositiveInfinity;
    protected override string RuntimeName => "ReduceMin";
    public override Kernels.ReductionFold? Fold => Kernels.ReductionFold.Min;
    protected override double Combine(double acc, double x) => Math.Min(acc, x);
    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) => new[] { ReduceMax.ShareAmongExtremes(g, node, dy) };
}
