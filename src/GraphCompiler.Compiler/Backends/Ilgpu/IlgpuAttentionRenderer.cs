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
        var space = c.Scores.Shape;
        int rank = space.Rank;
        string Last(Node n) => call.Dim(n.Shape[n.Shape.Rank - 1]);
        string Ints(Shape s) => "new int[] { " + string.Join(", ", s.Select(call.Dim)) + " }";
        var shape = $"new {Devices}.AttentionShape({call.Count(MatMul.BatchShape(space))}, {call.Dim(space[rank - 2])}, {call.Dim(space[rank - 1])}, {Last(c.Query)}, {Last(c.Value)}, "
            + $"{CSharpNames.Literal(c.Scale, DType.Float32)}, {c.Biases.Count})";
        var biases = Enumerable.Range(0, 2).Select(i => i < c.Biases.Count
            ? $"{call.View(c.Biases[i])}, {Devices}.StridedMap.Broadcast({Ints(c.Biases[i].Shape)}, {Ints(space)})"
            : "default, default");
        var pieces = new[] { ("exps", c.Exps), ("sums", c.Sums), ("probabilities", c.Probabilities) }
            .Where(p => attention.Stored(p.Item2) is not null).Select(p => $", {p.Item1}: {call.View(p.Item2)}");
        return $"{call.Program}.Context.Library.Attention({shape}, {call.View(c.Query)}, {call.View(c.Key)}, {call.View(c.Value)}, {string.Join(", ", biases)}, {call.View(c.Output)}{string.Concat(pieces)});";
    }
}
