using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// Emits the typed gradient set of a model with <c>[Model(GradientSet = true)]</c>: the layout of every
/// gradient in its dtype's flat buffer, the all-reduce buckets planned over that buffer, the class
/// <c>&lt;Model&gt;Gradients</c> mirroring the variable scopes, and the two halves of the train step
/// (<see cref="GradientSplitPass"/>) that write and read it.
/// </summary>
internal static partial class GradientSetEmitter
{
    /// <summary>A gradient's place in the buffer; <see cref="Offset"/> and <see cref="Count"/> are -1 where its size is a hyperparameter's.</summary>
    public sealed record Slot(VariableInfo Variable, int Offset, int Count);

    public sealed record Bucket(int Offset, int Count, IReadOnlyList<string> Variables);

    public static string ClassName(string model) => model + "Gradients";

    /// <summary>
    /// Each gradient's place in the float32 buffer, in variable order; when a shape holds a hyperparameter,
    /// every place is found at construction instead (<see cref="IsSized"/> is false).
    /// </summary>
    public static IReadOnlyList<Slot> Layout(IReadOnlyList<VariableInfo> variables)
    {
        if (!variables.All(v => v.Shape.IsStatic)) return variables.Select(v => new Slot(v, -1, -1)).ToList();
        var slots = new List<Slot>();
        int offset = 0;
        foreach (var v in variables)
        {
            int count = checked((int)v.Shape.StaticElementCount);
            slots.Add(new Slot(v, offset, count));
            offset = checked(offset + count);
        }
        return slots;
    }

    /// <summary>Whether the layout's places are known at build time.</summary>
    public static bool IsSized(IReadOnlyList<Slot> layout) => layout.All(s => s.Offset >= 0);

    /// <summary>A gradient's element count as C#: the product of its dims, each hyperparameter read through <paramref name="owner"/> (<c>model.</c> or nothing).</summary>
    public static string CountExpression(VariableInfo v, string owner = "") =>
        v.Shape.Rank == 0 ? "1" : "checked(" + string.Join(" * ", v.Shape.Select(d => DimExpression(d, owner))) + ")";

    private static string DimExpression(Dim d, string owner) => d.IsStatic ? d.Size.ToString(CultureInfo.InvariantCulture) : owner + d.Symbol;

    /// <summary>The all-reduce buckets over a static layout (<see cref="GradientBuckets.Plan"/>).</summary>
    public static IReadOnlyList<Bucket> Buckets(IReadOnlyList<Slot> layout, int elementBytes = 4) =>
        !IsSized(layout) ? Array.Empty<Bucket>() : GradientBuckets.Plan(layout.Select(s => s.Count).ToList(), elementBytes)
            .Select(r => new Bucket(layout[r.First].Offset, layout[r.Last].Offset + layout[r.Last].Count - layout[r.First].Offset,
                Enumerable.Range(r.First, r.Last - r.First + 1).Reverse().Select(i => layout[i].Variable.Name).ToList()))
            .ToList();

    /// <summary>Bucket <paramref name="index"/> in a line, for the build report.</summary>
    public static string Describe(int index, Bucket b) =>
        string.Format(CultureInfo.InvariantCulture, "bucket {0}: {1} floats ({2} bytes) at {3}, {4}", index, b.Count, 4L * b.Count, b.Offset, string.Join(", ", b.Variables));

    /// <summary>The class <c>&lt;Model&gt;Gradients</c>.</summary>
    public static string EmitClass(string model, IReadOnlyList<Slot> layout, IReadOnlyList<Bucket> buckets)
    {
        if (!IsSized(layout)) return EmitHyperClass(model, layout);
        var cls = ClassName(model);
        int total = layout.Count == 0 ? 0 : layout[layout.Count - 1].Offset + layout[layout.Count - 1].Count;
        var lines = new List<string>
        {
            "/// <summary>",
            $"/// The gradients of <c>{model}</c>'s loss, by variable scope (<c>gradients.TwoLayers.H1.Weights</c>), in one",
            $"/// float32 buffer of {total} elements. All-reduce buckets, planned at build time ({buckets.Count}):",
        };
        lines.AddRange(buckets.Select((b, i) => string.Format(CultureInfo.InvariantCulture, "/// bucket {0}: [{1}, {2}) {3} bytes: {4}.", i, b.Offset, b.Offset + b.Count, 4L * b.Count, string.Join(", ", b.Variables))));
        lines.Add("/// </summary>");
        lines.Add($"public sealed class {cls} : GradientSet");
        lines.Add("{");
        lines.Add($"    private static readonly GradientBucket[] PlannedBuckets =");
        lines.Add("    {");
        foreach (var b in buckets)
            lines.Add($"        new GradientBucket(global::GraphCompiler.DType.Float32, {b.Offset}, {b.Count}, new[] {{ {string.Join(", ", b.Variables.Select(CSharpNames.StringLiteral))} }}),");
        lines.Add("    };");
        lines.Add("");
        lines.Add($"    /// <summary>A set of zero gradients.</summary>");
        lines.Add($"    public {cls}()");
        lines.Add($"        : base({total}, PlannedBuckets)");
        lines.Add("    {");
        foreach (var s in layout)
            lines.Add($"        Register(new Gradient<float>({CSharpNames.StringLiteral(s.Variable.Name)}, new int[] {{ {string.Join(", ", s.Variable.Shape.Select(d => d.Size))} }}, Float32, {s.Offset}));");
        lines.Add("    }");
        lines.AddRange(VariableSetEmitter.MirrorMembers(cls, layout.Select(s => s.Variable).ToList(), "Gradient", "GradientSet", SetMembers));
        lines.Add("}");
        return string.Join("\n", lines);
    }

    /// <summary>
    /// The class of a model whose gradient sizes are hyperparameters: its constructor takes the model, sizes the
    /// buffer from the model's values and plans the buckets there, as the build plans static layouts.
    /// </summary>
    private static string EmitHyperClass(string model, IReadOnlyList<Slot> layout)
    {
        var cls = ClassName(model);
        const string Layout = "GraphCompiler.Runtime.GradientLayout";
        var lines = new List<string>
        {
            "/// <summary>",
            $"/// The gradients of <c>{model}</c>'s loss, by variable scope, in one float32 buffer sized by the model's",
            "/// hyperparameters; all-reduce buckets are planned when the set is made. A set fits the models built with the same values.",
            "/// </summary>",
            $"public sealed class {cls} : GradientSet",
            "{",
            $"    private static readonly string[] VariableNames = {{ {string.Join(", ", layout.Select(s => CSharpNames.StringLiteral(s.Variable.Name)))} }};",
            "",
            $"    /// <summary>A set of zero gradients for <paramref name=\"model\"/>'s hyperparameters.</summary>",
            $"    public {cls}({model} model)",
            $"        : this(model, {Layout}.Plan(new int[] {{ {string.Join(", ", layout.Select(s => CountExpression(s.Variable, "model.")))} }}, VariableNames))",
            "    {",
            "    }",
            "",
            $"    private {cls}({model} model, {Layout} layout)",
            "        : base(layout.Total, layout.Buckets)",
            "    {",
        };
        for (int i = 0; i < layout.Count; i++)
        {
            var v = layout[i].Variable;
            lines.Add($"        Register(new Gradient<float>({CSharpNames.StringLiteral(v.Name)}, new int[] {{ {string.Join(", ", v.Shape.Select(d => DimExpression(d, "model.")))} }}, Float32, layout.Offsets[{i}]));");
        }
        lines.Add("    }");
        lines.AddRange(VariableSetEmitter.MirrorMembers(cls, layout.Select(s => s.Variable).ToList(), "Gradient", "GradientSet", SetMembers));
        lines.Add("}");
        return string.Join("\n", lines);
    }

    /// <summary>Members of <c>GradientSet</c> (and <c>object</c>) that a generated member must not hide.</summary>
    private static readonly string[] SetMembers =
        { "Float32", "Float32Of", "StoreGradient", "Buckets", "BucketReady", "BucketListener", "Loss", "Count", "Item", "Register", "Clear", "Accumulate", "CopyFrom", "Scale", "GlobalNorm", "ClipByGlobalNorm", "Store", "GetEnumerator", "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize" };

    /// <summary>How <c>ComputeGradients</c> is emitted: the loss's placeholders, then the set to write (or add) into.</summary>
    public static GradientSplitEntry Compute(string model, IReadOnlyList<ModelParameter> parameters, Graph graph, IReadOnlyList<Slot> layout, IReadOnlyList<Bucket> buckets, IReadOnlyList<string> hyperDims) =>
        new(true, layout, ComputeDeclaration(model, Inputs(parameters, graph, hyperDims)), ComputeDoc, buckets);

    private const string ComputeDoc = "/// <summary>The loss and its gradients on this batch (forward and backward, no update), written into <paramref name=\"gradients\"/> — or added to what it holds when <paramref name=\"accumulate\"/>; each all-reduce bucket is signalled (<see cref=\"GradientSet.BucketReady\"/>) as soon as its gradients are complete. Returns the loss.</summary>";

    private const string OverloadDoc = "/// <summary>The loss's gradients on this batch in a new set (<see cref=\"GradientSet.Loss\"/> holds the loss); the variables do not change.</summary>";

    private const string ApplyDoc = "/// <summary>The compiled optimizer update (slots, schedule and clipping included) with these gradients, as <c>TrainStep</c> applies its own; increments <see cref=\"GlobalStep\"/>.</summary>";

    /// <summary><c>ComputeGradients</c>' inputs: the loss's placeholders and the dims they cannot give.</summary>
    private static IReadOnlyList<string> Inputs(IReadOnlyList<ModelParameter> parameters, Graph graph, IReadOnlyList<string> hyperDims) =>
        EntrySignature.Of(GradientSplitPass.ComputeGradients, false, parameters, graph, hyperDims).ParameterList;

    private static string ComputeDeclaration(string model, IReadOnlyList<string> inputs) =>
        $"public float {GradientSplitPass.ComputeGradients}({string.Join(", ", inputs.Append($"{ClassName(model)} gradients").Append("bool accumulate = false"))})";

    private static string OverloadDeclaration(string model, IReadOnlyList<string> inputs) =>
        $"public {ClassName(model)} {GradientSplitPass.ComputeGradients}({string.Join(", ", inputs)})";

    private static string ApplyDeclaration(string model) => $"public void {GradientSplitPass.ApplyGradients}({ClassName(model)} gradients, float learningRate)";

    /// <summary>The convenience overload that returns a new gradient set.</summary>
    public static string ComputeOverload(string model, IReadOnlyList<ModelParameter> parameters, Graph graph, IReadOnlyList<Slot> layout, IReadOnlyList<string> hyperDims)
    {
        var inputs = Inputs(parameters, graph, hyperDims);
        var names = inputs.Select(p => p.Substring(p.LastIndexOf(' ') + 1)).ToList();
        return string.Join("\n", new[]
        {
            OverloadDoc,
            OverloadDeclaration(model, inputs),
            "{",
            $"    var gradients = new {ClassName(model)}({(IsSized(layout) ? "" : "this")});",
            $"    {GradientSplitPass.ComputeGradients}({string.Join(", ", names.Append("gradients"))});",
            "    return gradients;",
            "}",
        });
    }

    /// <summary>How <c>ApplyGradients</c> is emitted.</summary>
    public static GradientSplitEntry Apply(string model, IReadOnlyList<Slot> layout) => new(false, layout, ApplyDeclaration(model), ApplyDoc);
}
