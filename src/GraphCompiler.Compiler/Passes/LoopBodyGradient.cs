using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// A loop body differentiated once: a copy of the forward body, inputs for the gradients of its next
/// states (<see cref="DState"/>) and per-step outputs (<see cref="DOut"/>), and the gradient of every port
/// (<see cref="Grads"/>: states, then sequences, then invariants). It also says which forward values the
/// gradient reads (<see cref="Needed"/>) and which of them vary per step and so must be saved (<see cref="Saved"/>).
/// </summary>
internal sealed class BodyGradient
{
    private readonly Dictionary<Node, (char Kind, int Index)> _ports = new();

    private BodyGradient(IReadOnlyList<Node> nodes) => Nodes = nodes;

    /// <summary>The forward copy first, then the gradient nodes, in topological order.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    public Dictionary<Node, Node> ForwardOf { get; } = new();

    public List<Node> DState { get; } = new();

    public List<Node> DOut { get; } = new();

    public Node?[] Grads { get; private set; } = Array.Empty<Node?>();

    public HashSet<Node> Needed { get; } = new();

    public List<Node> Saved { get; } = new();

    /// <summary>The port a forward input node is: 's' state, 'q' sequence, 'k' invariant ('\0' for other nodes).</summary>
    public (char Kind, int Index) PortOf(Node n) => _ports.TryGetValue(n, out var p) ? p : ('\0', -1);

    public static BodyGradient Build(LoopOp loop)
    {
        var gb = new GraphBuilder(loop.Body.Name + "_grad");
        var copy = GraphRewriter.Copy(loop.Body, gb);
        var result = new BodyGradient(gb.Nodes);
        foreach (var kv in copy) result.ForwardOf[kv.Value] = kv.Key;
        var ports = new List<Node>();
        void AddPorts(char kind, int count, Func<int, string> name)
        {
            for (int i = 0; i < count; i++)
            {
                var port = copy[loop.Port(name(i))];
                result._ports[port] = (kind, i);
                ports.Add(port);
            }
        }
        AddPorts('s', loop.States, LoopOp.StatePort);
        AddPorts('q', loop.Sequences, LoopOp.SequencePort);
        AddPorts('k', loop.Invariants, LoopOp.InvariantPort);

        var seeds = new List<(Node, Node)>();
        for (int i = 0; i < loop.States; i++)
        {
            var y = copy[loop.BodyOutput(LoopOp.StatePort(i))];
            result.DState.Add(gb.Input("d" + LoopOp.StatePort(i), y.DType, y.Shape));
            seeds.Add((y, result.DState[i]));
        }
        for (int j = 0; j < loop.Outputs; j++)
        {
            var y = copy[loop.BodyOutput(LoopOp.OutputPort(j))];
            result.DOut.Add(gb.Input("d" + LoopOp.OutputPort(j), y.DType, y.Shape));
            seeds.Add((y, result.DOut[j]));
        }
        result.Grads = Autodiff.Gradients(gb, seeds, ports);
        result.Classify();
        return result;
    }

    // Walks back from the gradients: a forward value that varies per step is a leaf (saved, or read from
    // its sequence); one that depends only on invariants and constants is recomputed, so the walk goes on.
    private void Classify()
    {
        var varying = new HashSet<Node>();
        foreach (var n in Nodes)
            if (ForwardOf.ContainsKey(n) && (PortOf(n).Kind is 's' or 'q' || n.Inputs.Any(varying.Contains))) varying.Add(n);
        var stack = new Stack<Node>(Grads.Where(g => g is not null)!);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!Needed.Add(n)) continue;
            if (varying.Contains(n))
            {
                if (PortOf(n).Kind != 'q') Saved.Add(n);
                continue;
            }
            foreach (var i in n.Inputs) stack.Push(i);
        }
        Saved.Sort((a, b) => a.Id.CompareTo(b.Id));
    }
}
