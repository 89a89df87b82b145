using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Model;

/// <summary>
/// Summaries travel as graph outputs named <c>summary:&lt;kind&gt;:&lt;tag&gt;</c>. The train step
/// writes them on summary steps only; inference methods drop them (and what only they need).
/// </summary>
public static class SummaryOutputs
{
    public const string Prefix = "summary:";
    public const string Scalar = "scalar";
    public const string Histogram = "histogram";
    public const string Image = "image";
    public const string Text = "text";

    public static bool IsSummary(string outputName) => outputName.StartsWith(Prefix, StringComparison.Ordinal);

    public static (string Kind, string Tag) Parse(string outputName)
    {
        var rest = outputName.Substring(Prefix.Length);
        int colon = rest.IndexOf(':');
        return (rest.Substring(0, colon), rest.Substring(colon + 1));
    }

    /// <summary>A unique output name; a repeated tag gets <c>_1</c>, <c>_2</c> as TensorFlow does.</summary>
    public static string UniqueName(string kind, string tag, Func<string, bool> taken)
    {
        var name = $"{Prefix}{kind}:{tag}";
        for (int i = 1; taken(name); i++) name = $"{Prefix}{kind}:{tag}_{i}";
        return name;
    }

    /// <summary>Shape rules: scalars are rank 0; images are [h, w, c] or [n, h, w, c] with c in 1, 3, 4 and static h, w, c.</summary>
    public static void Check(string kind, string tag, Node value)
    {
        if (!value.DType.IsFloat() && kind != Text)
            throw new ShapeException($"summary '{tag}' needs a float tensor, got {value.DType.ShortName()}{value.Shape}");
        if (kind == Scalar && value.Shape.Rank != 0)
            throw new ShapeException($"scalar summary '{tag}' needs a scalar (rank 0), got shape {value.Shape}; reduce it first, e.g. with ReduceMean");
        if (kind == Image)
        {
            var s = value.Shape;
            bool ok = (s.Rank == 3 || s.Rank == 4) && s.Skip(s.Rank - 3).All(d => d.IsStatic) && s[s.Rank - 1].Size is 1 or 3 or 4;
            if (!ok) throw new ShapeException($"image summary '{tag}' needs [height, width, channels] or [n, height, width, channels] with static sizes and 1, 3 or 4 channels, got {s}");
        }
    }

    /// <summary>The graph without its summary outputs (for inference methods).</summary>
    public static Graph Strip(Graph g) =>
        new(g.Name, g.Nodes, g.Outputs.Where(o => !IsSummary(o.Name)).ToList(), g.Effects, g.Variables);
}
