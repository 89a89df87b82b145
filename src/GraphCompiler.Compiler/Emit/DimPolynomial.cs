using System.Globalization;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// A sum of products of symbolic dims with integer coefficients (<c>24 + 16·n</c>): how the build
/// report states sizes and costs that depend on dims known only at call time.
/// </summary>
internal sealed class DimPolynomial
{
    private readonly SortedDictionary<string, long> _terms = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="factor"/> × the element count of <paramref name="shape"/>.</summary>
    public void Add(Shape shape, long factor)
    {
        long coefficient = factor;
        var symbols = new List<string>();
        foreach (var d in shape)
            if (d.IsStatic) coefficient *= d.Size;
            else symbols.Add(d.Symbol!);
        var key = string.Join("·", symbols.OrderBy(s => s, StringComparer.Ordinal));
        _terms[key] = (_terms.TryGetValue(key, out var c) ? c : 0) + coefficient;
    }

    public override string ToString()
    {
        var terms = _terms.Where(t => t.Value != 0).ToList();
        return terms.Count == 0 ? "0" : string.Join(" + ", terms.Select(t => t.Key.Length == 0 ? t.Value.ToString(CultureInfo.InvariantCulture) : $"{t.Value}·{t.Key}"));
    }
}
