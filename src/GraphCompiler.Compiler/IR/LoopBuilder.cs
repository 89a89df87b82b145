namespace GraphCompiler.Compiler.IR;

/// <summary>
/// Builds one loop region: the body is built on <see cref="Body"/>, whose inputs are made on demand by
/// <see cref="State"/>, <see cref="Sequence"/> and <see cref="Capture"/> (lowering discovers the values a
/// body reads from outside as it goes); <see cref="Finish"/> adds the loop node and its projections to
/// the outer graph.
/// </summary>
public sealed class LoopBuilder
{
    private readonly List<Node> _states = new();
    private readonly List<Node> _sequences = new();
    private readonly List<Node> _invariants = new();
    private readonly Dictionary<Node, Node> _captured = new();

    public LoopBuilder(GraphBuilder outer, string bodyName = "body")
    {
        Outer = outer;
        Body = new GraphBuilder(bodyName) { Loop = this };
    }

    public GraphBuilder Outer { get; }

    public GraphBuilder Body { get; }

    /// <summary>How many sequences the body reads so far (a loop needs one: its time length).</summary>
    public int SequenceCount => _sequences.Count;

    /// <summary>The node itself when it belongs to the body, else its invariant input (<see cref="Capture"/>).</summary>
    public Node Adopt(Node node) => InBody(node) ? node : Capture(node);

    /// <summary>A loop-carried value entering with <paramref name="initial"/> (an outer node); returns its body input.</summary>
    public Node State(Node initial)
    {
        var port = Body.Input(LoopOp.StatePort(_states.Count), initial.DType, initial.Shape);
        _states.Add(initial);
        return port;
    }

    /// <summary>Step t of <paramref name="stacked"/> (an outer <c>[batch, time, ...]</c> node); returns its body input.</summary>
    public Node Sequence(Node stacked)
    {
        if (stacked.Shape.Rank < 2) throw new Ops.ShapeException($"a loop sequence must be [batch, time, ...], got {stacked.Name} {stacked.Shape}");
        var port = Body.Input(LoopOp.SequencePort(_sequences.Count), stacked.DType, LoopOp.StepShape(stacked.Shape));
        _sequences.Add(stacked);
        return port;
    }

    /// <summary>An outer value the body reads unchanged at every step; one body input per outer node.</summary>
    public Node Capture(Node outer)
    {
        if (_captured.TryGetValue(outer, out var port)) return port;
        port = Body.Input(LoopOp.InvariantPort(_invariants.Count), outer.DType, outer.Shape);
        _invariants.Add(outer);
        _captured.Add(outer, port);
        return port;
    }

    /// <summary>True when <paramref name="node"/> belongs to the body (not to the outer graph).</summary>
    public bool InBody(Node node) => Body.Nodes.Count > node.Id && ReferenceEquals(Body.Nodes[node.Id], node);

    /// <summary>
    /// Closes the body with the next states (one per <see cref="State"/>, in order) and the per-step outputs,
    /// and adds the loop to the outer graph.
    /// </summary>
    public LoopResult Finish(IReadOnlyList<Node> nextStates, IReadOnlyList<Node> stepOutputs, string name = "while", bool reverse = false, LoopOp? primal = null)
    {
        if (nextStates.Count != _states.Count) throw new ArgumentException($"the loop has {_states.Count} states, got {nextStates.Count} next values");
        for (int i = 0; i < nextStates.Count; i++) Body.AddOutput(LoopOp.StatePort(i), Adopt(nextStates[i]));
        for (int j = 0; j < stepOutputs.Count; j++) Body.AddOutput(LoopOp.OutputPort(j), Adopt(stepOutputs[j]));
        var op = new LoopOp(Body.Build(), _states.Count, _sequences.Count, _invariants.Count, stepOutputs.Count, reverse, primal);
        var loop = Outer.Apply(op, _states.Concat(_sequences).Concat(_invariants).ToArray(), op.Attrs, name);
        var results = Enumerable.Range(0, op.ResultCount)
            .Select(i => Outer.Apply("loop_output", new[] { loop }, Attrs.Of(("index", i)), name + "_output"))
            .ToArray();
        return new LoopResult(loop, results.Take(op.States).ToArray(), results.Skip(op.States).ToArray());
    }
}

/// <summary>A loop node and its projections: the final states and the stacked per-step outputs.</summary>
public sealed record LoopResult(Node Loop, IReadOnlyList<Node> FinalStates, IReadOnlyList<Node> Outputs);
