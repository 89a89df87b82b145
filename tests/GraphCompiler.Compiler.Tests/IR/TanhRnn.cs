using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Tests.IR;

/// <summary>
/// h_t = tanh(x_t·W + h_{t-1}·U + b) over x : [batch, time, 3], h : [batch, 4], as one loop region;
/// the loss weighs every output and the final state (r, q) so that no gradient is symmetric.
/// </summary>
internal static class TanhRnn
{
    public const int Features = 3, Hidden = 4;

    public static (GraphBuilder B, Node Loss, Node[] Wrt, LoopResult Loop) Build(DType t = DType.Float64)
    {
        var b = new GraphBuilder("rnn");
        var x = b.Input("x", t, Shape.Of(Dim.Sym("batch"), Dim.Sym("time"), Features));
        var h0 = b.Input("h0", t, Shape.Of(Dim.Sym("batch"), Hidden));
        var w = b.Input("W", t, Shape.Of(Features, Hidden));
        var u = b.Input("U", t, Shape.Of(Hidden, Hidden));
        var bias = b.Input("bias", t, Shape.Of(Hidden));
        var r = b.Input("r", t, Shape.Of(Dim.Sym("batch"), Dim.Sym("time"), Hidden));
        var q = b.Input("q", t, Shape.Of(Dim.Sym("batch"), Hidden));

        var loop = new LoopBuilder(b);
        var h = loop.State(h0);
        var xt = loop.Sequence(x);
        var body = loop.Body;
        var pre = body.Add(body.Add(body.Apply("matmul", new[] { xt, loop.Capture(w) }), body.Apply("matmul", new[] { h, loop.Capture(u) })), loop.Capture(bias));
        var next = body.Apply("tanh", new[] { pre });
        var result = loop.Finish(new[] { next }, new[] { next }, "rnn/while");

        var loss = b.Add(Sum(b, b.Mul(result.Outputs[0], r)), Sum(b, b.Mul(result.FinalStates[0], q)));
        return (b, loss, new[] { x, h0, w, u, bias }, result);
    }

    public static Node Sum(GraphBuilder b, Node x) =>
        b.Apply("reduce_sum", new[] { x }, Attrs.Of(("axes", Enumerable.Range(0, x.Shape.Rank).ToArray()), ("keepdims", false)));

    public static Dictionary<string, RefTensor> Feeds(int batch, int time, int seed)
    {
        var rng = new System.Random(seed);
        RefTensor R(params int[] shape) => new(DType.Float64, shape, Enumerable.Range(0, (int)RefTensor.Count(shape)).Select(_ => rng.NextDouble() * 2 - 1).ToArray());
        return new Dictionary<string, RefTensor>
        {
            ["x"] = R(batch, time, Features), ["h0"] = R(batch, Hidden), ["W"] = R(Features, Hidden), ["U"] = R(Hidden, Hidden),
            ["bias"] = R(Hidden), ["r"] = R(batch, time, Hidden), ["q"] = R(batch, Hidden),
        };
    }

    /// <summary>The recurrence by hand: every step's h, [batch, time, hidden], and the final state.</summary>
    public static (double[] Outputs, double[] Final) ByHand(Dictionary<string, RefTensor> f)
    {
        int batch = f["x"].Shape[0], time = f["x"].Shape[1];
        var h = (double[])f["h0"].Data.Clone();
        var outs = new double[batch * time * Hidden];
        for (int t = 0; t < time; t++)
        {
            var next = new double[batch * Hidden];
            for (int n = 0; n < batch; n++)
                for (int j = 0; j < Hidden; j++)
                {
                    double s = f["bias"].Data[j];
                    for (int i = 0; i < Features; i++) s += f["x"].Data[(n * time + t) * Features + i] * f["W"].Data[i * Hidden + j];
                    for (int i = 0; i < Hidden; i++) s += h[n * Hidden + i] * f["U"].Data[i * Hidden + j];
                    next[n * Hidden + j] = Math.Tanh(s);
                    outs[(n * time + t) * Hidden + j] = next[n * Hidden + j];
                }
            h = next;
        }
        return (outs, h);
    }
}
