using GraphCompiler.Compiler.Backends.Cpu;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Tests.Emit;

/// <summary>
/// Gate slices of one wide product: fused kernels read column windows in place, the placement sums of
/// their gradients become a concat, and a concat of one kernel's values is stored column by column.
/// </summary>
public class ColumnWindowFusionTests
{
    /// <summary>wide = x + y over [n, width]; three windows of 5 columns at <paramref name="offsets"/>; out = σ(a)·tanh(b) + c.</summary>
    private static (GraphBuilder B, Node X, Node Y, Node Out) Gates(int width, int[] offsets)
    {
        var b = new GraphBuilder("t");
        var n = Dim.Sym("n");
        var x = b.Input("x", DType.Float32, Shape.Of(n, width));
        var y = b.Input("y", DType.Float32, Shape.Of(n, width));
        var wide = b.Add(x, y);
        var w = offsets.Select(o => StridedSlice.Apply(b, wide, new[] { 0, o }, new[] { 1, 1 }, Shape.Of(n, 5))).ToArray();
        var result = b.Add(b.Mul(b.Apply("sigmoid", new[] { w[0] }), b.Apply("tanh", new[] { w[1] })), w[2]);
        return (b, x, y, result);
    }

    private static RefTensor Random(int seed, params int[] shape)
    {
        var rng = new System.Random(seed);
        return new RefTensor(DType.Float32, shape, Enumerable.Range(0, (int)RefTensor.Count(shape)).Select(_ => (double)(float)(rng.NextDouble() * 4 - 2)).ToArray());
    }

    [Fact]
    public void GateWindowsAreReadInPlaceByTheirConsumersKernel()
    {
        var (b, _, _, result) = Gates(17, new[] { 1, 6, 11 }); // odd offsets, neither first nor last column
        b.AddOutput("y", result);
        var kernels = Fusion.Plan(b.Build());
        Assert.DoesNotContain(kernels, k => !k.IsFused); // no slice copy as a library call
        Assert.Equal(2, kernels.Count);
        var gates = (ElementwiseKernel)LowerKernelsPass.Lower(kernels[1]);
        Assert.Equal(IterationKind.PerRow, gates.Space.Kind);
        var windows = gates.Operands.Where(o => o.Map == IndexMap.ColumnWindow).ToList();
        Assert.Equal(new[] { 1, 6, 11 }, windows.Select(o => o.Window!.Offset));
        Assert.All(windows, o => Assert.Equal(17, o.Window!.SourceWidth));
        Assert.All(windows, o => Assert.Same(kernels[0].Outputs[0], o.Storage));
        Assert.DoesNotContain(gates.Body, s => s.Result.Op is StridedSlice);
        var text = FusedKernelEmitter.Emit(gates, "K", out var inputs, out _, out _);
        Assert.Contains("r * 17 + 6 + jj", text);
        Assert.All(inputs, i => Assert.Same(kernels[0].Outputs[0], gates.StorageOf(i)));
        // The memory plan keeps the wide sum alive until the window kernel has read it.
        var memory = PlanMemoryPass.Run(b.Build(), new KernelDescription[] { LowerKernelsPass.Lower(kernels[0]), gates });
        Assert.Equal(1, memory.BufferOf[kernels[0].Outputs[0]].LastUse);
    }

    [Fact]
    public void ASliceThatIsNotAColumnWindowStaysACopy()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", DType.Float32, Shape.Of(6, 8));
        // Rows 1..3: not a column range of every row.
        var rows = StridedSlice.Apply(b, b.Apply("exp", new[] { x }), new[] { 1, 0 }, new[] { 1, 1 }, Shape.Of(3, 8));
        b.AddOutput("y", b.Apply("tanh", new[] { rows }));
        Assert.Null(ColumnWindow.Of(rows));
        Assert.Contains(Fusion.Plan(b.Build()), k => !k.IsFused && k.Members[0].Op is StridedSlice);
    }

    [Fact]
    public void PlacedGradientsOfTilingWindowsBecomeOneConcatStoredByTheirKernel()
    {
        var (b, x, y, result) = Gates(15, new[] { 10, 0, 5 }); // tiles the 15 columns, out of order
        var loss = b.Apply("reduce_sum", new[] { b.Apply("square", new[] { result }) }, Attrs.Of(("axes", new[] { 0, 1 }), ("keepdims", false)));
        var grads = Autodiff.Gradients(b, loss, new[] { x, y });
        b.AddOutput("dx", grads[0]!);
        b.AddOutput("dy", grads[1]!);
        var before = b.Build();
        Assert.Contains(before.Nodes, n => n.OpName == "strided_slice_grad");
        var after = Simplify.EliminateDeadCodePass(JoinPlacedSlices.JoinPlacedSlicesPass(before));
        Assert.DoesNotContain(after.Nodes, n => n.OpName == "strided_slice_grad");
        var concat = Assert.Single(after.Nodes, n => n.OpName == "concat");
        Assert.Equal(1, concat.Attrs.GetInt("axis"));
        // x + 0 is x: the concat holds the very values the placements summed.
        var feeds = new Dictionary<string, RefTensor> { ["x"] = Random(1, 3, 15), ["y"] = Random(2, 3, 15) };
        var none = new Dictionary<string, RefTensor>();
        var expected = Interpreter.Outputs(before, feeds, none);
        var actual = Interpreter.Outputs(after, feeds, none);
        Assert.Equal(expected["dx"].Data, actual["dx"].Data);
        Assert.Equal(expected["dy"].Data, actual["dy"].Data);
        // The three gate gradients come from one kernel, which stores them straight into the concat's columns.
        var kernels = Fusion.Plan(after);
        var store = Assert.Single(kernels, k => k.Members.Contains(concat));
        var d = (ElementwiseKernel)LowerKernelsPass.Lower(store);
        var columns = Assert.Single(d.WindowStores);
        Assert.Equal(new[] { 0, 5, 10 }, columns.Offsets);
        Assert.Equal(15, columns.Width);
        Assert.Equal(Shape.Of(Dim.Sym("n"), 5), d.Space.Shape);
        Assert.DoesNotContain(columns.Pieces, p => d.Outputs.Contains(p));
        Assert.Contains("r * 15 + 10 + jj", FusedKernelEmitter.Emit(d, "K", out _, out _, out _));
    }

    [Fact]
    public void WindowsThatLeaveAGapKeepTheirPlacements()
    {
        var (b, x, _, result) = Gates(17, new[] { 1, 6, 11 });
        var loss = b.Apply("reduce_sum", new[] { result }, Attrs.Of(("axes", new[] { 0, 1 }), ("keepdims", false)));
        b.AddOutput("dx", Autodiff.Gradients(b, loss, new[] { x })[0]!);
        var g = Simplify.EliminateDeadCodePass(JoinPlacedSlices.JoinPlacedSlicesPass(b.Build()));
        Assert.DoesNotContain(g.Nodes, n => n.OpName == "concat");
        Assert.Contains(g.Nodes, n => n.OpName == "strided_slice_grad");
    }

    [Fact]
    public void ARowSumThatCouldNotAbsorbAWindowKernelIsComputedOnce()
    {
        var (b, _, _, result) = Gates(17, new[] { 1, 6, 11 });
        var n = result.Shape[0];
        var z = b.Input("z", DType.Float32, Shape.Of(n));
        // The sum has an epilogue (a row kernel), but its prologue reads windows, which row kernels do not.
        var sums = b.Apply("reduce_sum", new[] { result }, Attrs.Of(("axes", new[] { 1 }), ("keepdims", false)));
        b.AddOutput("y", b.Add(sums, z));
        var kernels = Fusion.Plan(b.Build());
        var members = kernels.SelectMany(k => k.Members).ToList();
        Assert.Equal(members.Count, members.Distinct().Count());
        Assert.Contains(kernels.Single(k => k.Members.Contains(sums)).Inputs, i => i == result);
    }
}
