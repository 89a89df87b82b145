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
internal static class GradientSetEmitter
{
    /// <summary>
    /// The size at which a bucket is closed. 1 MiB is PyTorch DDP's first
    /// bucket: small enough that the last layers' gradients can travel while earlier ones are computed,
    /// large enough that a bucket's latency is small against its transfer on loopback or Ethernet.
    /// </summary>
    public const long BucketBytes = 1 << 20;

    public sealed record Slot(VariableInfo Variable, int Offset, int Count);

    public sealed record Bucket(int Offset, int Count, IReadOnlyList<string> Variables);

    public static string ClassName(string model) => model + "Gradients";

    /// <summary>Each gradient's place in the float32 buffer, in variable order.</summary>
    public static IReadOnlyList<Slot> Layout(IReadOnlyList<VariableInfo> variables)
    {
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

    /// <summary>
    /// Buckets filled from the last variable backwards, each closed once it holds <see cref="BucketBytes"/> or
    /// more (as PyTorch DDP fills its buckets, so a small bias never travels alone): the backward
    /// pass finishes the last layer's gradients first, so the first bucket is the first one ready. Each
    /// bucket is a contiguous range of the buffer.
    /// </summary>
    public static IReadOnlyList<Bucket> Buckets(IReadOnlyList<Slot> layout, int elementBytes = 4)
    {
        var buckets = new List<Bucket>();
        var current = new List<Slot>();
        void Close()
        {
            if (current.Count == 0) return;
            buckets.Add(new Bucket(current[current.Count - 1].Offset, current.Sum(s => s.Count), current.Select(s => s.Variable.Name).ToList()));
            current.Clear();
        }
        for (int i = layout.Count - 1; i >= 0; i--)
        {
            current.Add(layout[i]);
            if ((long)current.Sum(s => s.Count) * elementBytes >= BucketBytes) Close();
        }
        Close();
        return buckets;
    }

    /// <summary>One line per bucket, for the generated comments and the build report.</summary>
    public static string Describe(IReadOnlyList<Bucket> buckets) =>
        string.Join("; ", buckets.Select((b, i) => string.Format(CultureInfo.InvariantCulture, "bucket {0}: {1} floats ({2} bytes) at {3}, {4}", i, b.Count, 4L * b.Count, b.Offset, string.Join(", ", b.Variables))));

    /// <summary>The class <c>&lt;Model&gt;Gradients</c>.</summary>
    public static string EmitClass(string model, IReadOnlyList<Slot> layout, IReadOnlyList<Bucket> buckets)
    {
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

    /// <summary>Members of <c>GradientSet</c> (and <c>object</c>) that a generated member must not hide.</summary>
    private static readonly string[] SetMembers =
        { "Float32", "Buckets", "Loss", "Count", "Item", "Register", "Clear", "Accumulate", "CopyFrom", "Scale", "GlobalNorm", "ClipByGlobalNorm", "Store", "GetEnumerator", "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "Finalize" };

    /// <summary>How <c>ComputeGradients</c> is emitted: the loss's placeholders, then the set to write (or add) into.</summary>
    public static GradientSplitEntry Compute(string model, IReadOnlyList<ModelParameter> parameters, Graph graph, IReadOnlyList<Slot> layout)
    {
        var inputs = EntrySignature.Of(GradientSplitPass.ComputeGradients, false, parameters, graph).ParameterList;
        var list = string.Join(", ", inputs.Append($"{ClassName(model)} gradients").Append("bool accumulate = false"));
        return new GradientSplitEntry(true, layout,
            $"public float {GradientSplitPass.ComputeGradients}({list})",
            "/// <summary>The loss and its gradients on this batch (forward and backward, no update), written into <paramref name=\"gradients\"/> — or added to what it holds when <paramref name=\"accumulate\"/>. Returns the loss.</summary>");
    }

    /// <summary>The convenience overload that returns a new gradient set.</summary>
    public static string ComputeOverload(string model, IReadOnlyList<ModelParameter> parameters, Graph graph)
    {
        var inputs = EntrySignature.Of(GradientSplitPass.ComputeGradients, false, parameters, graph).ParameterList;
        var names = inputs.Select(p => p.Substring(p.LastIndexOf(' ') + 1)).ToList();
        var cls = ClassName(model);
        return string.Join("\n", new[]
        {
            "/// <summary>The loss's gradients on this batch in a new set (<see cref=\"GradientSet.Loss\"/> holds the loss); the variables do not change.</summary>",
            $"public {cls} {GradientSplitPass.ComputeGradients}({string.Join(", ", inputs)})",
            "{",
            $"    var gradients = new {cls}();",
            $"    {GradientSplitPass.ComputeGradients}({string.Join(", ", names.Append("gradients"))});",
            "    return gradients;",
            "}",
        });
    }

    /// <summary>How <c>ApplyGradients</c> is emitted.</summary>
    public static GradientSplitEntry Apply(string model, IReadOnlyList<Slot> layout) =>
        new(false, layout,
            $"public void {GradientSplitPass.ApplyGradients}({ClassName(model)} gradients, float learningRate)",
            "/// <summary>The compiled optimizer update (slots, schedule and clipping included) with these gradients, as <c>TrainStep</c> applies its own; increments <see cref=\"GlobalStep\"/>.</summary>");
}
