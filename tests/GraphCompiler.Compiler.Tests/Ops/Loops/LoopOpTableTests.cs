using GraphCompiler.Compiler.IR;
using Case = GraphCompiler.Compiler.Tests.Ops.OpTableTests.Case;

namespace GraphCompiler.Compiler.Tests.Ops.Loops;

/// <summary>
/// Finite-difference rows of the loop region (its projections are what a graph reads): a stacked output and a
/// final state, one and several steps, a state read through a square so that the saved activations matter.
/// </summary>
public class LoopOpTableTests
{
    private static int[] S(params int[] dims) => dims;

    public static readonly Case[] Cases =
    {
        new("loop_output_stacked", new[] { S(2, 3, 2), S(2, 2), S(2) }, (b, x) => Loop(b, x).Outputs[0]),
        new("loop_output_final_state", new[] { S(3, 4, 2), S(3, 2), S(2) }, (b, x) => Loop(b, x).FinalStates[0]),
        new("loop_output_one_step", new[] { S(1, 1, 2), S(1, 2), S(2) }, (b, x) => Loop(b, x).FinalStates[0]),
        new("loop_output_zero_steps", new[] { S(2, 0, 2), S(2, 2), S(2) }, (b, x) => Loop(b, x).FinalStates[0]),
    };

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name) => OpTableTests.CheckGradient(Cases.Single(c => c.Name == name));

    public static IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.Name });

    // h_t = tanh(x_t ⊙ h_{t-1} + c) + 0.5·h_{t-1}², output h_t·c per step.
    private static LoopResult Loop(GraphBuilder b, Node[] x)
    {
        var loop = new LoopBuilder(b);
        var h = loop.State(x[1]);
        var xt = loop.Sequence(x[0]);
        var c = loop.Capture(x[2]);
        var body = loop.Body;
        var next = body.Add(body.Apply("tanh", new[] { body.Add(body.Mul(xt, h), c) }), body.Mul(body.Scalar(0.5, DType.Float64), body.Mul(h, h)));
        return loop.Finish(new[] { next }, new[] { body.Mul(next, c) });
    }
}
