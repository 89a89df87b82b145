using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Backends.Ilgpu;

/// <summary>
/// Renders a fused attention (<see cref="AttentionCall"/>) as one call of the device library's flash-style kernel:
/// the items are the scores' batch axes (batch × heads), each bias is read through a broadcast map from the
/// scores' shape, and the softmax's pieces are passed only when the kernel stores them for the backward.
/// </summary>
internal static class IlgpuAttentionRenderer
{
    private const string Devices = "GraphCompiler.Runtime.Devices";

    public static string Render(AttentionCall attention, DeviceCall call)
    {
        var c = attention.Chain;
        var pieces = new[] { ("exps", c.Exps), ("sums", c.Sums), ("probabilities", c.Probabilities), ("maxima", c.Max) }
            .Where(p => attention.Stored(p.Item2) is not null).Select(p => $", {p.Item1}: {call.View(p.Item2)}");
        return $"{call.Program}.Context.Library.Attention({Operands(c, call)}, {call.View(c.Output)}{string.Concat(pieces)});";
    }

    /// <summary>The fused backward of <paramref name="gradient"/>: the forward's operands, its output, dO, the row maxima and sums, then dQ, dK, dV.</summary>
    public static string RenderBackward(AttentionGradientCall gradient, DeviceCall call)
    {
        var (g, c) = (gradient.Gradient, gradient.Gradient.Forward);
        return $"{call.Program}.Context.Library.AttentionBackward({Operands(c, call)}, {call.View(c.Output)}, {call.View(g.OutputGrad)}, {call.View(c.Max)}, {call.View(c.Sums)}, "
            + $"{call.View(g.QueryGrad)}, {call.View(g.KeyGrad)}, {call.View(g.ValueGrad)});";
    }

    /// <summary>The shape, Q, K, V and the two biases with their broadcast maps, as both directions take them.</summary>
    private static string Operands(AttentionChain c, DeviceCall call)
    {
        var space = c.Scores.Shape;
        int rank = space.Rank;
        string Last(Node n) => call.Dim(n.Shape[n.Shape.Rank - 1]);
        string Ints(Shape s) => "new int[] { " + string.Join(", ", s.Select(call.Dim)) + " }";
        var shape = $"new {Devices}.AttentionShape({call.Count(MatMul.BatchShape(space))}, {call.Dim(space[rank - 2])}, {call.Dim(space[rank - 1])}, {Last(c.Query)}, {Last(c.Value)}, "
            + $"{CSharpNames.Literal(c.Scale, DType.Float32)}, {c.Biases.Count})";
        var biases = Enumerable.Range(0, 2).Select(i => i < c.Biases.Count
            ? $"{call.View(c.Biases[i])}, {Devices}.StridedMap.Broadcast({Ints(c.Biases[i].Shape)}, {Ints(space)})"
            : "default, default");
        return $"{shape}, {call.View(c.Query)}, {call.View(c.Key)}, {call.View(c.Value)}, {string.Join(", ", biases)}";
    }
}
