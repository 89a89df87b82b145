using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Estimated floating-point operations of a graph as a formula of its symbolic dims
/// (<c>6553600 + 1200·n</c>): 2·m·n·k per matmul, one per output element of elementwise ops and
/// one per input element of reductions; layout ops and sources count nothing.
/// </summary>
internal static class FlopEstimate
{
    public static void Add(DimPolynomial flops, Graph g)
    {
        foreach (var n in g.Nodes)
        {
            switch (n.Op.Class)
            {
                case OpClass.Elementwise when n.Op is not BroadcastLike:
                    flops.Add(n.Shape, 1);
                    break;
                case OpClass.Reduction:
                    flops.Add(n.Inputs[0].Shape, 1);
                    break;
                case OpClass.Opaque when n.Op is MatMul:
                {
                    var a = n.Inputs[0].Shape;
                    bool ta = n.Attrs.GetBool("transpose_a", false);
                    var k = ta ? a[a.Rank - 2] : a[a.Rank - 1];
                    var contracted = MatMul.ContractsBatch(n.Attrs) ? MatMul.BatchShape(a) : new Shape(Array.Empty<Dim>());
                    flops.Add(new Shape(n.Shape.Concat(contracted).Concat(new[] { k })), 2);
                    break;
                }
            }
        }
    }
}
