using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.IR;

/// <summary>
/// A loop region (<c>tf.while_loop</c> as <c>dynamic_rnn</c> uses it): a body graph run once per time
/// step, over a time length read at run time from the sequences' axis 1, so it may be symbolic.
/// The node's inputs are, in order, the initial loop-carried states, the sequences (batch-major
/// <c>[batch, time, ...]</c>: step t reads <c>x[:, t, ...]</c>) and the invariants (values from outside
/// the loop that the body reads, such as weights). The body graph has one input per port, named
/// <c>state{i}</c>, <c>seq{j}</c>, <c>inv{k}</c>, and outputs <c>state{i}</c> (the next state) and
/// <c>out{j}</c> (a per-step value, stacked on axis 1 as <c>[batch, time, ...]</c>).
/// The loop node itself stands for the tuple of its results; <see cref="LoopOutput"/> nodes project
/// them: index i &lt; states is the final state i, then the stacked outputs. Tuple projections keep
/// every other node single-output, so fusion, the memory plan and the emitters see one value per node.
/// With <see cref="Reverse"/> the steps run from the last to the first (the gradient loop); outputs are
/// still stacked at their step's index.
/// </summary>
public sealed class LoopOp : OpDef, IRunDependentOp
{
    public const string OpName = "loop";

    public LoopOp(Graph body, int states, int sequences, int invariants, int outputs, bool reverse, LoopOp? primal = null)
    {
        Body = body;
        States = states;
        Sequences = sequences;
        Invariants = invariants;
        Outputs = outputs;
        Reverse = reverse;
        Primal = primal;
        Attrs = Attrs.Of(("states", states), ("sequences", sequences), ("invariants", invariants), ("outputs", outputs),
            ("reverse", reverse), ("body", GraphText.Write(body)));
        _ports = body.Inputs.ToDictionary(n => n.Attrs.GetString("name"), StringComparer.Ordinal);
        for (int i = 0; i < states; i++) Port(StatePort(i));
        for (int j = 0; j < sequences; j++) Port(SequencePort(j));
        for (int k = 0; k < invariants; k++) Port(InvariantPort(k));
        for (int i = 0; i < states; i++) BodyOutput(StatePort(i));
        for (int j = 0; j < outputs; j++) BodyOutput(OutputPort(j));
        if (sequences == 0) throw new ShapeException("a loop needs at least one sequence: its axis 1 is the time length");
    }

    private readonly Dictionary<string, Node> _ports;

    /// <summary>The body, run once per step (its own graph: it reads no variables, only its ports).</summary>
    public Graph Body { get; }

    public int States { get; }

    public int Sequences { get; }

    public int Invariants { get; }

    /// <summary>The number of per-step outputs (stacked over time).</summary>
    public int Outputs { get; }

    public bool Reverse { get; }

    /// <summary>
    /// For a loop made by autodiff to save activations: the loop whose results are this one's first results
    /// (same inputs, same body plus saved values), so the two can run as one.
    /// </summary>
    public LoopOp? Primal { get; }

    /// <summary>The attributes a node of this op carries: the counts and the body's text (its identity for CSE and the text form).</summary>
    public Attrs Attrs { get; }

    public override string Name => OpName;

    public override OpClass Class => OpClass.Opaque;

    public override bool HasGradient => true;

    public static string StatePort(int i) => "state" + i;

    public static string SequencePort(int j) => "seq" + j;

    public static string InvariantPort(int k) => "inv" + k;

    public static string OutputPort(int j) => "out" + j;

    /// <summary>The op described by a loop node's attributes (reading the IR's text form).</summary>
    public static LoopOp FromAttrs(Attrs a) =>
        new(GraphText.Parse(a.GetString("body")), a.GetInt("states"), a.GetInt("sequences"), a.GetInt("invariants"), a.GetInt("outputs"), a.GetBool("reverse"));

    /// <summary>The body's input node of a port.</summary>
    public Node Port(string name) =>
        _ports.TryGetValue(name, out var n) ? n : throw new ShapeException($"loop body has no input '{name}'");

    /// <summary>The body's output node of a port.</summary>
    public Node BodyOutput(string name) =>
        Body.Outputs.FirstOrDefault(o => o.Name == name)?.Node ?? throw new ShapeException($"loop body has no output '{name}'");

    /// <summary>Result i's body node: the next state for i &lt; states, then the per-step outputs.</summary>
    public Node ResultNode(int index) => BodyOutput(index < States ? StatePort(index) : OutputPort(index - States));

    public int ResultCount => States + Outputs;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, States + Sequences + Invariants, Name);
        var time = inputs[States].Shape.Rank >= 2 ? inputs[States].Shape[1] : default;
        for (int i = 0; i < States; i++)
        {
            Expect(inputs[i], Port(StatePort(i)), inputs[i].Shape, "initial state " + i);
            var next = BodyOutput(StatePort(i));
            if (next.DType != inputs[i].DType || !next.Shape.Equals(inputs[i].Shape))
                throw new ShapeException($"loop state {i} enters as {inputs[i].DType.ShortName()}{inputs[i].Shape} but the body makes it {next.DType.ShortName()}{next.Shape}");
        }
        for (int j = 0; j < Sequences; j++)
        {
            var s = inputs[States + j];
            if (s.Shape.Rank < 2) throw new ShapeException($"loop sequence {j} ({s.Name}) must be [batch, time, ...], got {s.Shape}");
            if (s.Shape[1] != time) throw new ShapeException($"loop sequences disagree on the time length: {inputs[States].Shape} and {s.Shape}");
            Expect(s, Port(SequencePort(j)), StepShape(s.Shape), "sequence " + j);
        }
        for (int k = 0; k < Invariants; k++)
            Expect(inputs[States + Sequences + k], Port(InvariantPort(k)), inputs[States + Sequences + k].Shape, "invariant " + k);
        var first = ResultCount > 0 ? ResultNode(0).DType : DType.Float32;
        return (first, Shape.Scalar);
    }

    /// <summary>The shape of result <paramref name="index"/> of <paramref name="loop"/>: a state's shape, or a step output's with the time dim at axis 1.</summary>
    public Shape ResultShape(Node loop, int index)
    {
        var body = ResultNode(index).Shape;
        if (index < States) return body;
        if (body.Rank < 1) throw new ShapeException("a loop's per-step output needs a batch axis to stack time after");
        var dims = body.ToList();
        dims.Insert(1, loop.Inputs[States].Shape[1]);
        return new Shape(dims);
    }

    /// <summary>A sequence's per-step shape: axis 1 (time) removed.</summary>
    public static Shape StepShape(Shape sequence) => new(sequence.Where((_, i) => i != 1));

    private static void Expect(Node outer, Node port, Shape shape, string what)
    {
        if (outer.DType != port.DType || !shape.Equals(port.Shape))
            throw new ShapeException($"loop {what} ({outer.Name}) is {outer.DType.ShortName()}{shape} per step but the body takes {port.DType.ShortName()}{port.Shape}");
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        throw new InvalidOperationException("a loop has several results: the interpreter runs it with LoopOp.Run");

    RefTensor IRunDependentOp.Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape, RunContext run) =>
        throw new InvalidOperationException("a loop has several results: the interpreter runs it with LoopOp.Run");

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        throw new InvalidOperationException("a loop's gradient is built by LoopAutodiff from its projections' gradients");

    /// <summary>Reference semantics: runs the body step by step with the interpreter; returns the final states, then the stacked outputs.</summary>
    public RefTensor[] Run(IReadOnlyList<RefTensor> inputs, RunContext run)
    {
        var seq = inputs.Skip(States).Take(Sequences).ToArray();
        int time = seq[0].Shape[1];
        var feed = new Dictionary<string, RefTensor>(StringComparer.Ordinal);
        for (int i = 0; i < States; i++) feed[StatePort(i)] = inputs[i];
        for (int k = 0; k < Invariants; k++) feed[InvariantPort(k)] = inputs[States + Sequences + k];
        // Shapes of the stacked outputs come from the bindings, so that zero steps still give [batch, 0, ...].
        for (int j = 0; j < Sequences; j++) feed[SequencePort(j)] = RefTensor.Zeros(seq[j].DType, StepShape(seq[j].Shape));
        var bindings = Interpreter.BindSymbols(Body, feed);
        var stacked = new RefTensor[Outputs];
        for (int j = 0; j < Outputs; j++)
        {
            var node = BodyOutput(OutputPort(j));
            var step = node.Shape.Resolve(bindings).ToList();
            step.Insert(1, time);
            stacked[j] = RefTensor.Zeros(node.DType, step.ToArray());
        }
        var noVariables = new Dictionary<string, RefTensor>(StringComparer.Ordinal);
        for (int s = 0; s < time; s++)
        {
            int t = Reverse ? time - 1 - s : s;
            for (int j = 0; j < Sequences; j++) feed[SequencePort(j)] = TimeAxis.Slice(seq[j], t);
            var outs = Interpreter.Outputs(Body, feed, noVariables, run);
            for (int i = 0; i < States; i++) feed[StatePort(i)] = outs[StatePort(i)];
            for (int j = 0; j < Outputs; j++) TimeAxis.Store(stacked[j], t, outs[OutputPort(j)]);
        }
        var results = new RefTensor[ResultCount];
        for (int i = 0; i < States; i++) results[i] = feed[StatePort(i)];
        for (int j = 0; j < Outputs; j++) results[States + j] = stacked[j];
        return results;
    }

    private static int[] StepShape(int[] shape) => shape.Where((_, i) => i != 1).ToArray();
}

/// <summary>Reading and writing one step of a <c>[batch, time, ...]</c> tensor.</summary>
internal static class TimeAxis
{
    public static RefTensor Slice(RefTensor x, int t)
    {
        int batch = x.Shape[0], time = x.Shape[1];
        int inner = (int)(x.Data.Length / Math.Max(1L, (long)batch * time));
        var data = new double[batch * inner];
        for (int b = 0; b < batch; b++) Array.Copy(x.Data, ((long)b * time + t) * inner, data, (long)b * inner, inner);
        return new RefTensor(x.DType, x.Shape.Where((_, i) => i != 1).ToArray(), data);
    }

    public static void Store(RefTensor stacked, int t, RefTensor step)
    {
        int batch = stacked.Shape[0], time = stacked.Shape[1];
        int inner = step.Data.Length / Math.Max(1, batch);
        for (int b = 0; b < batch; b++) Array.Copy(step.Data, (long)b * inner, stacked.Data, ((long)b * time + t) * inner, inner);
    }
}
