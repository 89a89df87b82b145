using System.Globalization;
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
    public static void Add(SortedDictionary<string, long> terms, Graph g)
    {
        foreach (var n in g.Nodes)
        {
            switch (n.Op.Class)
            {
                case OpClass.Elementwise when n.Op is not BroadcastLike:
                    Term(terms, n.Shape, 1);
                    break;
                case OpClass.Reduction:
                    Term(terms, n.Inputs[0].Shape, 1);
                    break;
                case OpClass.Opaque when n.Op is MatMul:
                {
                    var a = n.Inputs[0].Shape;
                    bool ta = n.Attrs.GetBool("transpose_a", false);
                    var k = ta ? a[a.Rank - 2] : a[a.Rank - 1];
                    Term(terms, new Shape(n.Shape.Concat(new[] { k })), 2);
                    break;
                }
            }
        }
    }

    private static void Term(SortedDictionary<string, long> terms, Shape shape, long factor)
    {
        long coefficient = factor;
        var symbols = new List<string>();
        foreach (var d in shape)
            if (d.IsStatic) coefficient *= d.Size;
            else symbols.Add(d.Symbol!);
        var key = string.Join("·", symbols.OrderBy(s => s, StringComparer.Ordinal));
        terms[key] = (terms.TryGetValue(key, out var c) ? c : 0) + coefficient;
    }

    public static string Format(SortedDictionary<string, long> terms) =>
        terms.Count == 0 ? "0" : string.Join(" + ", terms.Where(t => t.Value != 0).Select(t => t.Key.Length == 0 ? t.Value.ToString(CultureInfo.InvariantCulture) : $"{t.Value}·{t.Key}"));
}
