using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Tests.Ops;

/// <summary>
/// The op table's template column: for every elementwise op in the registry, its scalar template (what
/// every renderer spells) computes what the op's reference computes, over a grid of arguments that
/// includes zero, negatives and values outside the op's domain (both sides then give NaN).
/// </summary>
public class ScalarTemplateTests
{
    private static readonly double[] Reals = { -2.5, -1, -0.3, 0, 0.7, 1, 3.2 };

    private static readonly double[] Bools = { 0, 1 };

    public static IEnumerable<object[]> ElementwiseOps =>
        OpRegistry.All.OfType<ElementwiseOp>().Select(op => new object[] { op.Name }).OrderBy(r => (string)r[0]);

    [Theory]
    [MemberData(nameof(ElementwiseOps))]
    public void TemplateAgreesWithTheReference(string name)
    {
        var op = (ElementwiseOp)OpRegistry.Get(name);
        foreach (var (dtypes, attrs) in Signatures(op))
        {
            var result = op.InferType(dtypes.Select((t, i) => Scalar(t, i)).ToList(), attrs).DType;
            var template = op.Template(attrs, result);
            foreach (var args in Grid(dtypes))
            {
                var reference = op.Evaluate(args.Select((v, i) => RefTensor.Scalar(v, dtypes[i])).ToList(), attrs, Array.Empty<int>()).Data[0];
                var templated = RefTensor.Round(result, ScalarExprEvaluator.Evaluate(template, args));
                Assert.True(reference.Equals(templated), $"{name}({string.Join(", ", args)}) as {string.Join(", ", dtypes)}: reference {reference}, template {templated}");
            }
        }
    }

    /// <summary>The input dtypes (and attributes) each op is checked at: the kinds of tensor it accepts.</summary>
    private static IEnumerable<(DType[] DTypes, Attrs Attrs)> Signatures(ElementwiseOp op)
    {
        var none = Attrs.Empty;
        if (op is Cast)
        {
            foreach (var (from, to) in new[] { (DType.Float64, DType.Float32), (DType.Float64, DType.Int32), (DType.Float64, DType.Bool), (DType.Bool, DType.Float64), (DType.Float64, DType.Float64) })
                yield return (new[] { from }, Cast.To(from, to));
            yield break;
        }
        if (op is Where)
        {
            yield return (new[] { DType.Bool, DType.Float64, DType.Float64 }, none);
            yield break;
        }
        if (op is LogicalOp)
        {
            yield return (Enumerable.Repeat(DType.Bool, op.Arity).ToArray(), none);
            yield break;
        }
        yield return (Enumerable.Repeat(DType.Float64, op.Arity).ToArray(), none);
        if (op is Abs or Sign or Neg or Add or Mul or Maximum or Relu) yield return (Enumerable.Repeat(DType.Int32, op.Arity).ToArray(), none);
    }

    private static IEnumerable<double[]> Grid(DType[] dtypes)
    {
        IEnumerable<double[]> rows = new[] { Array.Empty<double>() };
        foreach (var t in dtypes)
        {
            var values = t == DType.Bool ? Bools : t.IsInteger() ? Reals.Select(Math.Truncate).Distinct().ToArray() : Reals;
            rows = rows.SelectMany(r => values.Select(v => r.Append(v).ToArray())).ToList();
        }
        return rows;
    }

    private static Node Scalar(DType t, int i) => new GraphBuilder("t").Input("x" + i, t, Shape.Scalar);
}
