using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// Backpropagation through time for loop regions. The body is differentiated once, symbolically, with
/// respect to its ports (<see cref="Autodiff.Gradients(GraphBuilder, IReadOnlyList{ValueTuple{Node, Node}}, IReadOnlyList{Node})"/>
/// over the next states and per-step outputs). What that gradient body reads of the forward body decides
/// what the forward loop keeps: values that change from step to step (the step's state, intermediates such
/// as a <c>tanh</c>'s result) are saved as extra per-step outputs of a copy of the forward loop (stacked
/// <c>[batch, time, ...]</c>: the activations buffer that grows with time); values that depend only on the
/// invariants are recomputed in the gradient body; the step's input is read again from its sequence.
/// The reverse loop then carries the gradient of each state and one accumulator per invariant, and
/// stacks the gradient of each sequence.
/// </summary>
public static class LoopAutodiff
{
    /// <summary>
    /// Called by <see cref="Autodiff"/> on reaching <paramref name="loopNode"/>: reads the gradients its
    /// projections received and adds the gradients of its inputs to <paramref name="pending"/>.
    /// </summary>
    internal static void Backward(GraphBuilder b, Node loopNode, HashSet<Node> onPath, Dictionary<Node, List<Node>> pending)
    {
        var loop = (LoopOp)loopNode.Op;
        var resultGrads = new Node?[loop.ResultCount];
        foreach (var p in onPath)
            if (p.Op is LoopOutput && p.Inputs[0] == loopNode && pending.TryGetValue(p, out var g))
                resultGrads[p.Attrs.GetInt("index")] = g[0];
        if (resultGrads.All(g => g is null)) return;

        var saved = b.CurrentSource;
        b.CurrentSource = loopNode.Source;
        using (b.NameScope(loopNode.Name + "_grad"))
        {
            var body = BodyGradient.Build(loop);
            var stacks = body.Saved.Count > 0 ? SaveActivations(b, loopNode, body) : new Dictionary<Node, Node>();
            var inputGrads = ReverseLoop(b, loopNode, body, stacks, resultGrads);
            for (int i = 0; i < loopNode.Inputs.Count; i++)
            {
                var input = loopNode.Inputs[i];
                if (inputGrads[i] is null || !onPath.Contains(input)) continue;
                if (!pending.TryGetValue(input, out var list)) pending[input] = list = new List<Node>();
                list.Add(inputGrads[i]!);
            }
        }
        b.CurrentSource = saved;
    }

    /// <summary>
    /// A copy of the forward loop that also outputs, stacked over time, every saved value of
    /// <paramref name="body"/>; <see cref="ShareForwardLoopsPass"/> makes it replace the forward loop.
    /// Returns the gradient body's forward node → its stacked values.
    /// </summary>
    private static Dictionary<Node, Node> SaveActivations(GraphBuilder b, Node loopNode, BodyGradient body)
    {
        var loop = (LoopOp)loopNode.Op;
        var forward = new LoopBuilder(b, loop.Body.Name);
        var ports = new Dictionary<string, Node>(StringComparer.Ordinal);
        for (int i = 0; i < loop.States; i++) ports[LoopOp.StatePort(i)] = forward.State(loopNode.Inputs[i]);
        for (int j = 0; j < loop.Sequences; j++) ports[LoopOp.SequencePort(j)] = forward.Sequence(loopNode.Inputs[loop.States + j]);
        for (int k = 0; k < loop.Invariants; k++) ports[LoopOp.InvariantPort(k)] = forward.Capture(loopNode.Inputs[loop.States + loop.Sequences + k]);
        var map = GraphRewriter.Copy(loop.Body, forward.Body, (_, n, _) => n.OpName == "input" ? ports[n.Attrs.GetString("name")] : null);
        var next = Enumerable.Range(0, loop.States).Select(i => map[loop.BodyOutput(LoopOp.StatePort(i))]).ToList();
        var outputs = Enumerable.Range(0, loop.Outputs).Select(j => map[loop.BodyOutput(LoopOp.OutputPort(j))])
            .Concat(body.Saved.Select(n => map[body.ForwardOf[n]]))
            .ToList();
        var result = forward.Finish(next, outputs, LocalName(loopNode.Name) + "_saved", loop.Reverse, primal: loop);
        var stacks = new Dictionary<Node, Node>();
        for (int r = 0; r < body.Saved.Count; r++) stacks[body.Saved[r]] = result.Outputs[loop.Outputs + r];
        return stacks;
    }

    /// <summary>The reverse loop; returns the gradient of each input of the loop node (null where none).</summary>
    private static Node?[] ReverseLoop(GraphBuilder b, Node loopNode, BodyGradient body, Dictionary<Node, Node> stacks, Node?[] resultGrads)
    {
        var loop = (LoopOp)loopNode.Op;
        int s = loop.States, q = loop.Sequences, inv = s + q;
        var reverse = new LoopBuilder(b, loop.Body.Name + "_grad");
        var map = new Dictionary<Node, Node>();
        for (int i = 0; i < s; i++) map[body.DState[i]] = reverse.State(resultGrads[i] ?? Zeros(b, loopNode.Inputs[i]));
        var withGradient = Enumerable.Range(0, loop.Invariants).Where(k => body.Grads[inv + k] is not null).ToList();
        // A weight's gradient that is a sum of per-step products is one GEMM after the loop; the rest accumulate.
        var products = withGradient.ToDictionary(k => k, k => LoopSharedGradients.Products(body.Grads[inv + k]!, body));
        var accumulated = withGradient.Where(k => products[k] is null).ToList();
        var hoisted = withGradient.Where(k => products[k] is not null).ToList();
        var accumulators = accumulated.Select(k => reverse.State(Zeros(b, loopNode.Inputs[inv + k]))).ToList();
        for (int j = 0; j < loop.Outputs; j++)
            map[body.DOut[j]] = reverse.Sequence(resultGrads[s + j] ?? Zeros(b, Result(b, loopNode, s + j)));

        // The products' operands over all steps: a saved stack, a sequence of the loop or a sequence's gradient
        // when there is one (the gate gradients are also the projected input's), else a per-step output.
        var sequenceGrads = Enumerable.Range(0, q).Where(j => body.Grads[s + j] is not null).ToList();
        var stacked = new Dictionary<Node, Node>();
        var perStep = new List<Node>();
        foreach (var operand in hoisted.SelectMany(k => products[k]!).SelectMany(p => p.Inputs).Distinct())
        {
            if (stacks.TryGetValue(operand, out var stack)) stacked[operand] = stack;
            else if (body.PortOf(operand) is ('q', var index)) stacked[operand] = loopNode.Inputs[s + index];
            else if (!sequenceGrads.Any(j => body.Grads[s + j] == operand)) perStep.Add(operand);
        }
        var roots = Enumerable.Range(0, s).Select(i => body.Grads[i]).Concat(accumulated.Select(k => body.Grads[inv + k]))
            .Concat(sequenceGrads.Select(j => body.Grads[s + j])).Concat(perStep).OfType<Node>();
        var wanted = Reachable(roots, n => map.ContainsKey(n) || body.PortOf(n).Kind != '\0' || stacks.ContainsKey(n));

        var rb = reverse.Body;
        foreach (var n in body.Nodes)
        {
            if (!body.Needed.Contains(n) || !wanted.Contains(n) || map.ContainsKey(n)) continue;
            rb.CurrentSource = n.Source;
            var (kind, index) = body.PortOf(n);
            map[n] = kind switch
            {
                'q' => reverse.Sequence(loopNode.Inputs[s + index]),
                'k' => reverse.Capture(loopNode.Inputs[inv + index]),
                _ when stacks.TryGetValue(n, out var stack) => reverse.Sequence(stack),
                _ => GraphRewriter.Clone(rb, n, n.Inputs.Select(i => map[i]).ToArray()),
            };
        }
        rb.CurrentSource = null;

        var next = new List<Node>();
        for (int i = 0; i < s; i++)
            next.Add(body.Grads[i] is { } g ? map[g] : Zeros(rb, map[body.DState[i]]));
        for (int a = 0; a < accumulated.Count; a++)
            next.Add(rb.Add(accumulators[a], map[body.Grads[inv + accumulated[a]]!]));
        var result = reverse.Finish(next, sequenceGrads.Select(j => map[body.Grads[s + j]!]).Concat(perStep.Select(n => map[n])).ToList(), LocalName(loopNode.Name), !loop.Reverse);
        for (int r = 0; r < sequenceGrads.Count; r++)
            if (!stacked.ContainsKey(body.Grads[s + sequenceGrads[r]]!)) stacked[body.Grads[s + sequenceGrads[r]]!] = result.Outputs[r];
        for (int p = 0; p < perStep.Count; p++) stacked[perStep[p]] = result.Outputs[sequenceGrads.Count + p];

        var grads = new Node?[loopNode.Inputs.Count];
        for (int i = 0; i < s; i++) grads[i] = result.FinalStates[i];
        for (int a = 0; a < accumulated.Count; a++) grads[inv + accumulated[a]] = result.FinalStates[s + a];
        for (int r = 0; r < sequenceGrads.Count; r++) grads[s + sequenceGrads[r]] = result.Outputs[r];
        foreach (var k in hoisted) grads[inv + k] = LoopSharedGradients.Outside(b, body.Grads[inv + k]!, stacked);
        return grads;
    }

    /// <summary>The nodes <paramref name="roots"/> read, directly or not, not walking past a <paramref name="leaf"/>.</summary>
    private static HashSet<Node> Reachable(IEnumerable<Node> roots, Func<Node, bool> leaf)
    {
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>(roots);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n) || leaf(n)) continue;
            foreach (var i in n.Inputs) stack.Push(i);
        }
        return seen;
    }

    /// <summary>
    /// Makes each loop that saves activations for the gradient (<see cref="LoopOp.Primal"/>) run in place
    /// of its forward loop, so the forward steps run once: the forward loop's results are the first results
    /// of the saving loop.
    /// </summary>
    public static Graph ShareForwardLoopsPass(Graph g)
    {
        var replacement = new Dictionary<Node, Node>();
        foreach (var saver in g.Nodes.Where(n => n.Op is LoopOp { Primal: not null }))
        {
            var primal = g.Nodes.FirstOrDefault(n => n.Op == ((LoopOp)saver.Op).Primal && n.Inputs.SequenceEqual(saver.Inputs));
            if (primal is not null && !replacement.ContainsKey(primal)) replacement[primal] = saver;
        }
        if (replacement.Count == 0) return g;
        var built = new Dictionary<Node, Node>();
        return GraphRewriter.Rewrite(g, (b, n, inputs) =>
        {
            if (built.TryGetValue(n, out var shared)) return shared;
            if (!replacement.TryGetValue(n, out var saver)) return null;
            return built[saver] = b.Apply(saver.Op, inputs, saver.Attrs, n.Name);
        });
    }

    private static Node Zeros(GraphBuilder b, Node like) => b.BroadcastLike(b.Constant(0, like.DType), like);

    private static Node Result(GraphBuilder b, Node loopNode, int index) =>
        b.Apply("loop_output", new[] { loopNode }, Attrs.Of(("index", index)), LocalName(loopNode.Name) + "_output");

    // Names given to a builder are prefixed with its scope; keep only the last part of a scoped name.
    private static string LocalName(string name) => name.Substring(name.LastIndexOf('/') + 1);
}
