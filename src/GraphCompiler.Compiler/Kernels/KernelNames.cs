using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// The identifiers of one kernel's code, as data, so that every renderer names a kernel, its
/// parameters and its values alike. Names come from what the values are, read relative to the
/// kernel's scope: a kernel under <c>Adam/update_h1/weights</c> calls that variable <c>variable</c>,
/// its slots <c>variableAdam</c>, its gradient <c>gradient</c>, so the update kernels of every
/// variable read the same and one method serves them all.
/// </summary>
public sealed class KernelNames
{
    private KernelNames(string method, string scope, string? subject, IReadOnlyDictionary<Node, string> parameters, IReadOnlyDictionary<Node, string> locals, IReadOnlyDictionary<Node, string> fullNames)
    {
        Method = method;
        Scope = scope;
        Subject = subject;
        Parameters = parameters;
        Locals = locals;
        ShortenedParameters = fullNames;
    }

    /// <summary>
    /// The kernel's name without its entry point: the scope that covers its members
    /// (<c>SparseSoftmaxCrossEntropyWithLogitsForwardBackward</c>, <c>AdamUpdate</c>), else its ops (<c>SubSquare</c>).
    /// </summary>
    public string Method { get; }

    /// <summary>The scope covering every member, with a trailing slash (<c>Adam/update_h1/weights/</c>); empty when none does.</summary>
    public string Scope { get; }

    /// <summary>The variable a per-variable kernel updates (an optimizer's <c>update_&lt;variable&gt;</c> scope); null for other kernels.</summary>
    public string? Subject { get; }

    /// <summary>The identifier of every operand a call passes (literals excluded) and of every output.</summary>
    public IReadOnlyDictionary<Node, string> Parameters { get; }

    /// <summary>The identifier of every member's value inside the kernel.</summary>
    public IReadOnlyDictionary<Node, string> Locals { get; }

    /// <summary>Parameters whose identifier had to be shortened, with the full TensorFlow name of the value.</summary>
    public IReadOnlyDictionary<Node, string> ShortenedParameters { get; }

    /// <summary>
    /// A member's or operand's name as a comment shows it: relative to the kernel's scope, with the
    /// subject variable written as <c>{variable}</c>, so that kernels differing only in their subject read alike.
    /// </summary>
    public string Describe(Node n)
    {
        var name = Relative(n.Name, Scope);
        return Subject is null || name != n.Name ? name : name.Replace(Subject, "{variable}");
    }

    /// <summary>Identifiers renderers use for their own locals: names never take them.</summary>
    public static readonly IReadOnlyCollection<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "count", "inner", "i", "start", "end", "r", "row", "rows", "rowStart", "rowEnd", "rest", "jj", "rowSum", "rowSums", "state",
        "s", "from", "to", "first", "block", "blockRows", "r0", "q", "lane", "vt", "index", "value", "values",
        "Vector", "Math", "MathF", "Span", "ReadOnlySpan", "System", "GraphCompiler",
        // The ILGPU renderer's: the element index, coordinates idx0… and dims d0…, group partials.
        "e", "partial", "total", "batch", "ILGPU", "XMath",
        "idx0", "idx1", "idx2", "idx3", "idx4", "idx5", "idx6", "idx7", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7",
    };

    /// <summary>Suffixes renderers append to a name for values derived from it (a splat vector, an accumulator).</summary>
    public static readonly IReadOnlyList<string> DerivedSuffixes = new[] { "Scalar", "Splat", "AtRow", "AtRowSplat", "Base", "Acc", "Lanes", "Block", "Rows" };

    private static readonly System.Text.RegularExpressions.Regex Numbered = new("^(d|idx|in|out|s|vs|c|vc|b|v|vv|acc|vacc|red|rv)[0-9]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Identifiers longer than this are shortened to their last scope segments.</summary>
    private const int MaxIdentifier = 32;

    /// <summary>
    /// The names of <paramref name="d"/>. <paramref name="assignedTo"/> gives, for a value an assign stores,
    /// the variable it updates (null when unknown, e.g. a description lowered on its own).
    /// </summary>
    public static KernelNames For(KernelDescription d, Func<Node, string?>? assignedTo = null)
    {
        var members = d.Source.Members.Where(m => m.Op is not Ops.Constant).ToList();
        if (members.Count == 0) members = d.Source.Members.ToList();
        // Gradient glue outside any op's gradient scope (the sum of a value's gradients, the gradient of a
        // top-level op) does not decide the covering scope; the rest of the members do.
        var scopes = members.Select(m => ScopeOf(m.Name)).ToList();
        var deciding = scopes.Where((s, i) => s.Count > 0 || !members[i].Name.StartsWith("gradients/", StringComparison.Ordinal)).ToList();
        if (deciding.Count > 0) scopes = deciding;
        var common = scopes.Aggregate((a, b) => a.Zip(b, (x, y) => (x, y)).TakeWhile(p => p.x == p.y).Select(p => p.x).ToList());
        string? subject = null;
        // The optimizer's scope, then update_<variable> (OptimizerPass): the kernel updates that variable.
        int update = common.Count > 1 && common[1].StartsWith("update_", StringComparison.Ordinal) ? 1 : -1;
        if (update >= 0) subject = string.Join("/", new[] { common[update].Substring("update_".Length) }.Concat(common.Skip(update + 1)));
        bool backward = members.Any(m => m.Name.StartsWith("gradients/", StringComparison.Ordinal));
        bool forward = members.Any(m => !m.Name.StartsWith("gradients/", StringComparison.Ordinal));

        string method;
        if (common.Count > 0)
        {
            var named = update >= 0 ? common.Take(update).Append("update").ToList() : common;
            method = CSharpNames.Pascal(string.Join("_", named.Skip(Math.Max(0, named.Count - 2))));
            if (backward) method += forward ? "ForwardBackward" : "Backward";
        }
        else method = string.Concat(members.Select(m => m.OpName).Distinct().Take(3).Select(CSharpNames.Pascal)) + (backward && !forward ? "Backward" : "");

        var used = new HashSet<string>(Reserved, StringComparer.Ordinal);
        var parameters = new Dictionary<Node, string>();
        var shortened = new Dictionary<Node, string>();
        var scope = common.Count == 0 ? "" : string.Join("/", common) + "/";
        foreach (var o in d.Buffers.Select(b => b.Value))
        {
            var (name, full) = ParameterName(o, scope, subject, gradient: subject is not null && o.Name.StartsWith("gradients/", StringComparison.Ordinal));
            parameters[o] = Take(name, used);
            if (full) shortened[o] = o.Name;
        }
        foreach (var o in d.Outputs)
        {
            var target = assignedTo?.Invoke(o);
            string name;
            bool full = false;
            if (target is not null) name = "new" + CSharpNames.Pascal(VariableName(target, subject, out full));
            else
            {
                (name, full) = ParameterName(o, scope, subject, gradient: false);
                name += "Out";
            }
            parameters[o] = Take(name, used);
            if (full) shortened[o] = o.Name;
        }
        var locals = new Dictionary<Node, string>();
        foreach (var m in d.Source.Members) locals[m] = Take(Identifier(Relative(m.Name, scope), out _), used);
        return new KernelNames(method, scope, subject, parameters, locals, shortened);
    }

    private static (string Name, bool Shortened) ParameterName(Node n, string scope, string? subject, bool gradient)
    {
        if (n.OpName == "input") return (Identifier(n.Attrs.GetString("name"), out var s), s);
        if (n.OpName == "variable") return (VariableName(n.Attrs.GetString("name"), subject, out var s), s);
        if (gradient) return ("gradient", true);
        return (Identifier(Relative(n.Name, scope), out var shortened), shortened);
    }

    /// <summary>A variable's identifier: <c>variable</c> for the subject, <c>variableAdam</c> for its slots, else its full name.</summary>
    private static string VariableName(string variable, string? subject, out bool shortened)
    {
        shortened = false;
        if (subject is not null && variable == subject) return "variable";
        if (subject is not null && variable.StartsWith(subject + "/", StringComparison.Ordinal)) return Identifier("variable/" + variable.Substring(subject.Length + 1), out shortened);
        return Identifier(variable, out shortened);
    }

    /// <summary>The name under <paramref name="scope"/>, a gradient's <c>gradients/</c> dropped (its <c>_grad</c> scope says as much).</summary>
    private static string Relative(string name, string scope)
    {
        if (name.StartsWith("gradients/", StringComparison.Ordinal) && name.IndexOf("_grad/", StringComparison.Ordinal) > 0) name = name.Substring("gradients/".Length);
        return scope.Length > 0 && name.StartsWith(scope, StringComparison.Ordinal) && name.Length > scope.Length ? name.Substring(scope.Length) : name;
    }

    /// <summary>A value's identifier outside any kernel (an arena slot): its name, a gradient's <c>gradients/</c> dropped.</summary>
    public static string ValueIdentifier(string name) => Identifier(Relative(name, ""), out _);

    /// <summary>
    /// A camelCase identifier from a TensorFlow name (<c>h1/matmul_grad/matmul_1</c> → <c>h1MatmulGradMatmul1</c>),
    /// shortened to its last scope segments when long.
    /// </summary>
    public static string Identifier(string name, out bool shortened)
    {
        var segments = name.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).ToList();
        shortened = false;
        string Join() => Camel(CSharpNames.Pascal(string.Join("_", segments)));
        var id = Join();
        while (id.Length > MaxIdentifier && segments.Count > 1)
        {
            segments.RemoveAt(0);
            shortened = true;
            id = Join();
        }
        return id;
    }

    private static string Camel(string pascal) => pascal.Length > 0 && pascal[0] != '_' ? char.ToLowerInvariant(pascal[0]) + pascal.Substring(1) : pascal;

    /// <summary>
    /// The scope path of a node for naming its kernel: a gradient node counts under the scope of the
    /// forward op it differentiates (<c>gradients/loss/neg_grad/mul</c> → <c>loss</c>).
    /// </summary>
    private static List<string> ScopeOf(string name)
    {
        var segments = name.Split('/').ToList();
        segments.RemoveAt(segments.Count - 1);
        if (segments.Count > 0 && segments[0] == "gradients")
        {
            segments.RemoveAt(0);
            int grad = segments.FindIndex(s => s.EndsWith("_grad", StringComparison.Ordinal));
            if (grad >= 0) segments = segments.Take(grad).ToList();
        }
        return segments;
    }

    /// <summary>Takes a unique identifier (keywords and renderer names avoided), with room for the renderer's derived names.</summary>
    private static string Take(string name, HashSet<string> used)
    {
        // Keywords, and names shaped like a renderer's numbered locals (d0, idx1), take a suffix.
        if (name.Length == 0 || CSharpNames.IsKeyword(name) || Numbered.IsMatch(name)) name += "Value";
        var candidate = name;
        for (int i = 2; !Free(candidate, used); i++) candidate = name + "_" + i;
        used.Add(candidate);
        foreach (var s in DerivedSuffixes) used.Add(candidate + s);
        return candidate;
    }

    private static bool Free(string name, HashSet<string> used) => !used.Contains(name) && DerivedSuffixes.All(s => !used.Contains(name + s));
}
