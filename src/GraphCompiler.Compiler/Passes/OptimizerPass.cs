using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Compiler.Passes.Optimizers;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// Builds the train step from the loss entry: the loss graph, the gradients of the loss with
/// respect to every trainable variable it uses (optionally clipped by their global norm), and the
/// optimizer's update of each variable and its slot variables as assign effects. Per-step scalars
/// computed on the host from the global step — the scheduled (and for Adam bias-corrected)
/// learning rate, AdamW's decay rate — are scalar inputs.
/// </summary>
public static class OptimizerPass
{
    public const string LearningRateInput = "learning_rate";
    public const string WeightDecayInput = "weight_decay_rate";

    /// <summary>
    /// The train step of <paramref name="loss"/>. Variables under the settings' build-time frozen scopes
    /// and under <paramref name="frozen"/> (one run-time freeze variant) are left out of the
    /// differentiation: no gradient, no slots, no update (<see cref="FreezeSets"/>).
    /// </summary>
    public static Graph BuildTrainStep(EntryPoint loss, string optimizer, IReadOnlyCollection<string>? frozen = null)
    {
        var spec = OptimizerSpec.Parse(optimizer);
        if (spec.GetString("schedule", "") == "piecewise_constant" && spec.GetList("values").Length != spec.GetList("boundaries").Length + 1)
            throw new CompileException("GC0405", $"a piecewise-constant schedule needs one more value than boundaries, got {spec.GetList("boundaries").Length} boundaries and {spec.GetList("values").Length} values", loss.Graph.Nodes.FirstOrDefault()?.Source);
        var b = new GraphBuilder("TrainStep", loss.Graph.Variables.ToDictionary(kv => kv.Key, kv => kv.Value));
        var (y, trainable, grads, map) = Differentiate(b, loss, FreezeSets.Frozen(spec).Concat(frozen ?? Array.Empty<string>()).ToList());
        AddUpdates(b, spec, trainable, grads);
        foreach (var e in loss.Graph.Effects) b.AddEffect(map[e]);
        b.AddOutput("loss", y);
        foreach (var o in loss.Graph.Outputs.Where(o => SummaryOutputs.IsSummary(o.Name))) b.AddOutput(o.Name, map[o.Node]);
        return b.Build();
    }

    /// <summary>
    /// Copies the loss graph into <paramref name="b"/> and appends the gradients of its (scalar) loss with
    /// respect to every trainable variable outside <paramref name="frozenScopes"/> (null where the loss does
    /// not depend on one). Reports a loss that is not scalar, reaches no trainable variable, or passes an op
    /// without a gradient.
    /// </summary>
    internal static (Node Loss, List<Node> Trainable, Node?[] Gradients, Dictionary<Node, Node> Map) Differentiate(GraphBuilder b, EntryPoint loss, IReadOnlyList<string> frozenScopes)
    {
        var lossGraph = loss.Graph;
        var map = GraphRewriter.Copy(lossGraph, b);
        var y = map[lossGraph.Outputs.First(o => !SummaryOutputs.IsSummary(o.Name)).Node];
        if (y.Shape.Rank != 0)
            throw new CompileException("GC0401", $"the loss must be a scalar, but '{loss.MethodName}' returns a tensor of shape {y.Shape}; reduce it, e.g. with ReduceSum or ReduceMean", y.Source);
        var trainable = lossGraph.Nodes.Where(n => n.OpName == "variable" && lossGraph.Variables[n.Attrs.GetString("name")].Trainable && !FreezeSets.IsFrozen(frozenScopes, n.Attrs.GetString("name"))).Select(n => map[n]).ToList();
        if (trainable.Count == 0)
            throw new CompileException("GC0402", $"the loss '{loss.MethodName}' depends on no trainable variable, so there is nothing to train" + (frozenScopes.Count == 0 ? "" : $" (frozen: {string.Join(", ", frozenScopes)})"), y.Source);
        foreach (var v in trainable)
            if (v.DType != DType.Float32)
                throw new CompileException("GC0403", $"variable '{v.Name}' is {v.DType.ShortName()}; only float32 variables are trained so far (make it non-trainable)", v.Source);
        Node?[] grads;
        try
        {
            grads = Autodiff.Gradients(b, y, trainable);
        }
        catch (NoGradientException e)
        {
            throw new CompileException("GC0400", $"op '{e.Node.OpName}' ({e.Node.Name}) has no gradient, but it lies on the path from a trainable variable to the loss '{loss.MethodName}'; wrap its input in StopGradient or remove it from the training path", e.Node.Source);
        }
        if (grads.All(g => g is null)) throw NoGradients(loss.MethodName, trainable, y);
        return (y, trainable, grads, map);
    }

    /// <summary>
    /// Appends the optimizer's update of each variable in <paramref name="trainable"/> by its gradient
    /// (and of its slot variables) as assign effects, under the optimizer's name scope; gradients are
    /// first clipped by their global norm when the spec asks for it.
    /// </summary>
    internal static void AddUpdates(GraphBuilder b, OptimizerSpec spec, IReadOnlyList<Node> trainable, Node?[] grads)
    {
        var rule = OptimizerRule.For(spec);
        var inputs = new StepInputs(
            b.Input(LearningRateInput, DType.Float32, Shape.Scalar),
            spec.Kind == "adamw" ? b.Input(WeightDecayInput, DType.Float32, Shape.Scalar) : null);
        b.PushNameScope(rule.ScopeName);
        if (spec.Get("clip_global_norm", 0) > 0) grads = ClipByGlobalNorm(b, grads, spec.Get("clip_global_norm", 0));
        for (int i = 0; i < trainable.Count; i++)
        {
            if (grads[i] is not { } g) continue;
            var v = trainable[i];
            var name = v.Attrs.GetString("name");
            // TensorFlow's update scopes: Adam/update_h1/weights/... names the variable each update is for.
            using var scope = b.NameScope("update_" + name);
            if (rule is GradientDescentRule && g.Op is SparseRows)
            {
                // An embedding lookup's gradient: update only the rows it touched.
                b.AddEffect(SparseGradientDescent.Apply(b, v, inputs.LearningRate, SparseRows.Parts(g), "sparse_gradient_descent"));
                continue;
            }
            var slots = rule.Slots.Select(slot => b.Variable(new VariableInfo(
                name + "/" + slot.Suffix, v.DType, v.Shape,
                slot.InitialValue == 0 ? InitSpec.Zeros : InitSpec.Constant(slot.InitialValue), Trainable: false, v.Source))).ToList();
            if (rule is AdagradRule && g.Op is SparseRows && SparseRows.Parts(g) is { Count: 1 } parts)
            {
                var (values, ids) = parts[0];
                // One lookup's gradient: Adagrad on the rows it touched (untouched rows have gradient 0 and do not move).
                var (update, accumulate) = SparseAdagrad.Apply(b, v, slots[0], inputs.LearningRate, values, ids, "sparse_adagrad");
                b.AddEffect(update);
                b.AddEffect(accumulate);
                continue;
            }
            var (newSlots, newValue) = rule.Update(b, v, g, slots, spec.ExcludedFromWeightDecay(name) ? inputs with { WeightDecayRate = null } : inputs);
            for (int k = 0; k < slots.Count; k++)
                b.AddEffect(b.Apply("assign", new[] { slots[k], newSlots[k] }, name: "assign_" + rule.Slots[k].Suffix));
            b.AddEffect(b.Apply("assign", new[] { v, newValue }));
        }
        b.PopNameScope();
    }

    /// <summary>
    /// TensorFlow's "No gradients provided for any variable": the loss depends on trainable variables,
    /// but only through values that carry no gradient (an ArgMax cast to float, a comparison), so the
    /// train step would never change them. Reported at the op where the float path ends.
    /// </summary>
    private static CompileException NoGradients(string lossName, IReadOnlyList<Node> trainable, Node y)
    {
        var chain = MathComposites.ChainBack(y, new HashSet<Node>(trainable)) ?? new List<Node> { y };
        var stop = chain.FirstOrDefault(n => !n.DType.IsFloat());
        var names = string.Join(", ", trainable.Select(v => v.Attrs.GetString("name")));
        return new CompileException("GC0406",
            $"No gradients provided for any variable: the loss '{lossName}' depends on the trainable variables ({names}) only through values that carry no gradient, on the path {string.Join(" -> ", chain.Select(n => n.Name))}" +
            (stop is null ? "" : $"; the gradient stops at '{stop.Name}' ({stop.OpName}, {stop.DType.ShortName()})") +
            "; compute the loss from float values of the variables (e.g. a softmax cross-entropy of the logits instead of their ArgMax)",
            stop?.Source ?? y.Source);
    }

    /// <summary><c>tf.clip_by_global_norm</c>: every gradient times clip / max(‖all gradients‖, clip).</summary>
    private static Node?[] ClipByGlobalNorm(GraphBuilder b, Node?[] grads, double clip)
    {
        Node? sum = null;
        foreach (var g in grads.Where(g => g is not null))
        {
            var sq = b.Apply("reduce_sum", new[] { b.Mul(g!, g!) }, Attrs.Of(("axes", Enumerable.Range(0, g!.Shape.Rank).ToArray()), ("keepdims", false)));
            sum = sum is null ? sq : b.Add(sum, sq);
        }
        if (sum is null) return grads;
        var norm = b.Apply("sqrt", new[] { sum }, name: "global_norm");
        var limit = b.Constant(clip, DType.Float32);
        var scale = b.Div(limit, b.Apply("maximum", new[] { norm, limit }));
        return grads.Select(g => g is null ? null : b.Mul(g, scale)).ToArray();
    }
}

/// <summary>A compile-stage error with its diagnostic ID and location.</summary>
public sealed class CompileException : Exception
{
    public CompileException(string id, string message, SourceSpan? source) : base(message)
    {
        Id = id;
        Location = source;
    }

    public string Id { get; }

    public SourceSpan? Location { get; }

    public CompilerDiagnostic ToDiagnostic() => new(Id, Severity.Error, Message, Location);
}
