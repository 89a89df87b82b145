using System.Globalization;
using System.Text;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Emit;

/// <summary>C# spellings: identifiers from TF-style names, literals of each dtype.</summary>
public static class CSharpNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>
    /// <paramref name="name"/>, or the first of <c>name_2</c>, <c>name_3</c>, … (from <paramref name="first"/>)
    /// that <paramref name="used"/> does not hold yet, which it then holds.
    /// </summary>
    public static string Unique(string name, ISet<string> used, int first = 2)
    {
        var candidate = name;
        for (int i = first; !used.Add(candidate); i++) candidate = name + "_" + i;
        return candidate;
    }

    /// <summary>True for a C# keyword, which an identifier must not be without an <c>@</c>.</summary>
    public static bool IsKeyword(string name) => Keywords.Contains(name);

    /// <summary><c>h1_weights</c> → <c>H1Weights</c>; a leading digit gets an underscore.</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder();
        bool upper = true;
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        if (sb.Length == 0 || char.IsDigit(sb[0])) sb.Insert(0, '_');
        return sb.ToString();
    }

    /// <summary>A safe local/parameter identifier (keywords escaped with @).</summary>
    public static string Local(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name) sb.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        if (sb.Length == 0 || char.IsDigit(sb[0])) sb.Insert(0, '_');
        var s = sb.ToString();
        return Keywords.Contains(s) ? "@" + s : s;
    }

    public static string Literal(double v, DType t) => t switch
    {
        DType.Float32 => double.IsNaN(v) ? "float.NaN" : double.IsPositiveInfinity(v) ? "float.PositiveInfinity" : double.IsNegativeInfinity(v) ? "float.NegativeInfinity" : ((float)v).ToString("R", CultureInfo.InvariantCulture) + "f",
        DType.Float64 => double.IsNaN(v) ? "double.NaN" : double.IsPositiveInfinity(v) ? "double.PositiveInfinity" : double.IsNegativeInfinity(v) ? "double.NegativeInfinity" : v.ToString("R", CultureInfo.InvariantCulture) + "d",
        DType.Int32 => ((int)v).ToString(CultureInfo.InvariantCulture),
        DType.Int64 => ((long)v).ToString(CultureInfo.InvariantCulture) + "L",
        DType.Bool => v != 0 ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    /// <summary>
    /// A multi-line raw string literal. Its content's indentation is relative to the closing
    /// quotes, so re-indenting the whole block keeps the string's value unchanged.
    /// </summary>
    public static string RawStringLiteral(string s) => "\"\"\"\n" + s.TrimEnd('\n') + "\n\"\"\"";

    /// <summary>A C# string literal (verbatim).</summary>
    public static string StringLiteral(string s) => "@\"" + s.Replace("\"", "\"\"") + "\"";
}
