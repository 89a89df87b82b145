using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Tests.Emit;

/// <summary>Fusion never makes two kernels depend on each other, also when a group mixes early and late nodes.</summary>
public class FusionKernelCycleTests
{
    [Fact]
    public void AGroupReachedThroughAnotherGroupIsNotJoined()
    {
        // e feeds s → d, and d's kernel also holds m, whose value comes back (through reshape) as
        // late, which is fused with e: joining e to late's kernel would make the two kernels
        // depend on each other although no single node path is a cycle.
        var b = new GraphBuilder("cycle");
        var x = b.Input("x", DType.Float32, Shape.Of(3));
        var w = b.Input("w", DType.Float32, Shape.Scalar);
        var e = b.Neg(x);
        var s = b.Apply("reduce_sum", new[] { e }, Attrs.Of(("axes", new[] { 0 }), ("keepdims", false)));
        var m = b.Apply("maximum", new[] { w, b.Scalar(1, DType.Float32) });
        var d = b.Div(s, m);
        var t = b.Apply("reshape", new[] { m }, Attrs.Of(("shape", Shape.Of(1))));
        var late = b.Apply("broadcast_like", new[] { t, x });
        b.AddOutput("d", d);
        b.AddOutput("y", b.Add(late, e));

        var kernels = Fusion.Plan(b.Build());

        var producer = kernels.SelectMany(k => k.Members.Select(n => (n, k.Index))).ToDictionary(p => p.n, p => p.Index);
        foreach (var k in kernels)
            foreach (var input in k.Inputs.Where(producer.ContainsKey))
                Assert.True(producer[input] < k.Index, $"kernel {k.Index} reads {input.Name} from kernel {producer[input]}, which runs later");
    }
}
