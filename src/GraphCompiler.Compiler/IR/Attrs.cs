using System.Globalization;
using System.Text;

namespace GraphCompiler.Compiler.IR;

/// <summary>
/// An op's attributes: an immutable map from name to a value of a small closed set of kinds
/// (int, long, double, bool, string, int[], double[], DType). Equality is structural so that
/// common-subexpression elimination can compare nodes, and every value has one canonical text.
/// </summary>
public sealed class Attrs : IEquatable<Attrs>
{
    private readonly SortedDictionary<string, object> _values;
    private string? _text;

    public static Attrs Empty { get; } = new(new SortedDictionary<string, object>(StringComparer.Ordinal));

    private Attrs(SortedDictionary<string, object> values) => _values = values;

    public IEnumerable<KeyValuePair<string, object>> Entries => _values;

    public bool Has(string name) => _values.ContainsKey(name);

    public Attrs With(string name, object value)
    {
        Validate(value);
        var copy = new SortedDictionary<string, object>(_values, StringComparer.Ordinal) { [name] = value };
        return new Attrs(copy);
    }

    public static Attrs Of(params (string Name, object Value)[] entries)
    {
        var a = Empty;
        foreach (var (n, v) in entries) a = a.With(n, v);
        return a;
    }

    public int GetInt(string name) => (int)Get(name);

    public long GetLong(string name) => _values[name] is int i ? i : (long)Get(name);

    public double GetDouble(string name) => _values[name] is int i ? i : (double)Get(name);

    public bool GetBool(string name) => (bool)Get(name);

    public string GetString(string name) => (string)Get(name);

    public int[] GetInts(string name) => (int[])Get(name);

    public double[] GetDoubles(string name) => (double[])Get(name);

    public DType GetDType(string name) => (DType)Get(name);

    public Shape GetShape(string name) => (Shape)Get(name);

    public bool GetBool(string name, bool fallback) => _values.TryGetValue(name, out var v) ? (bool)v : fallback;

    public int[]? GetIntsOrNull(string name) => _values.TryGetValue(name, out var v) ? (int[])v : null;

    public string? GetStringOrNull(string name) => _values.TryGetValue(name, out var v) ? (string)v : null;

    private object Get(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"attribute '{name}' is missing");

    private static void Validate(object value)
    {
        if (value is not (int or long or double or bool or string or int[] or double[] or DType or Shape))
            throw new ArgumentException($"attribute values of type {value.GetType().Name} are not supported");
    }

    public bool Equals(Attrs? other) => other is not null && ToString() == other.ToString();

    public override bool Equals(object? obj) => obj is Attrs a && Equals(a);

    public override int GetHashCode() => ToString().GetHashCode();

    /// <summary>Canonical text: <c>{axes=[0,1], keepdims=true}</c>; empty attributes print as nothing.</summary>
    public override string ToString()
    {
        if (_text is not null) return _text;
        if (_values.Count == 0) return _text = "";
        var sb = new StringBuilder("{");
        bool first = true;
        foreach (var kv in _values)
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append(kv.Key).Append('=').Append(FormatValue(kv.Value));
        }
        return _text = sb.Append('}').ToString();
    }

    public static string FormatValue(object v) => v switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => FormatDouble(d),
        bool b => b ? "true" : "false",
        string s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"",
        int[] a => "[" + string.Join(",", a.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]",
        double[] a => "d[" + string.Join(",", a.Select(FormatDouble)) + "]",
        DType t => "dtype:" + t.ShortName(),
        Shape s => "shape:" + s.ToString().Replace(" ", ""),
        _ => throw new ArgumentException($"unsupported attribute value {v}"),
    };

    private static string FormatDouble(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        // Keep a marker so that 1.0 reads back as a double, not an int.
        return s.IndexOfAny(new[] { '.', 'E', 'N', 'I' }) >= 0 ? s : s + ".0";
    }
}
