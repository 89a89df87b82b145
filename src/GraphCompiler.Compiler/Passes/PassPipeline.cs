using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// The compiler's passes, named and listed in the order they run (<see cref="Order"/>). Lowering runs
/// in the generator (C# → IR); autodiff and the optimizer update build the train step
/// (<see cref="OptimizerPass.BuildTrainStep"/>); <see cref="Compile"/> runs the rest over each entry
/// point: the simplification passes, fusion (asking the back end's capabilities), kernel lowering and
/// the memory plan; the back end's renderer then writes code from the result. Each graph-to-graph
/// result is validated (every input defined before use, names unique) so a broken pass fails at its
/// own name.
/// </summary>
public static class PassPipeline
{
    /// <summary>The simplification passes (graph to graph), in order.</summary>
    public static IReadOnlyList<(string Name, Func<Graph, Graph> Run)> Passes { get; } = new (string, Func<Graph, Graph>)[]
    {
        ("ShareForwardLoopsPass", LoopAutodiff.ShareForwardLoopsPass),
        ("FoldConstantsPass", Simplify.FoldConstantsPass),
        ("AlgebraicIdentitiesPass", Simplify.AlgebraicIdentitiesPass),
        ("FoldConstantsPass", Simplify.FoldConstantsPass),
        ("EliminateCommonSubexpressionsPass", Simplify.EliminateCommonSubexpressionsPass),
        ("AccumulateIntoGatheredSumsPass", Simplify.AccumulateIntoGatheredSumsPass),
        ("JoinPlacedSlicesPass", JoinPlacedSlices.JoinPlacedSlicesPass),
        ("StackSummedProductsPass", StackSummedProducts.StackSummedProductsPass),
        ("EliminateDeadCodePass", Simplify.EliminateDeadCodePass),
    };

    /// <summary>Every pass of the compiler by name, in the order it runs.</summary>
    public static IReadOnlyList<string> Order { get; } =
        new[] { "LowerModelPass", "AutodiffPass", "OptimizerUpdatePass", nameof(EntryModePasses.ResolveInTrainingPass), nameof(EntryModePasses.FoldBatchNormIntoConvolutionPass) }
            .Concat(Passes.Select(p => p.Name))
            .Concat(new[] { FusionPass, nameof(LowerKernelsPass), nameof(PlanMemoryPass), RenderPass })
            .ToList();

    /// <summary>Fusion groups nodes into kernels (<see cref="Fusion.Plan"/>).</summary>
    public const string FusionPass = "FusionPass";

    /// <summary>The back end's renderer writes the code of the kernels and the entry point.</summary>
    public const string RenderPass = "RenderPass";

    /// <summary>
    /// Runs the passes after lowering (and the train step's autodiff) over one entry point, for a back
    /// end with <paramref name="capabilities"/>. <paramref name="dump"/>, when given, receives the IR
    /// after each simplification pass, and <paramref name="dumpKernels"/> the kernel plan's text
    /// (<see cref="KernelText"/>) after kernel lowering and after the memory plan. <paramref name="training"/>
    /// says whether the graph is a train step or an inference entry (<see cref="EntryModePasses"/>); null leaves
    /// the choice to the renderer.
    /// </summary>
    public static CompiledEntry Compile(Graph g, BackendCapabilities capabilities, Action<string, Graph>? dump = null, Action<string, string>? dumpKernels = null,
        CancellationToken cancellationToken = default, bool? training = null)
    {
        if (training is { } train)
        {
            g = Checked(EntryModePasses.ResolveInTrainingPass(g, train), nameof(EntryModePasses.ResolveInTrainingPass), dump);
            g = Checked(EntryModePasses.FoldBatchNormIntoConvolutionPass(g, train), nameof(EntryModePasses.FoldBatchNormIntoConvolutionPass), dump);
        }
        g = Run(g, dump, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var kernels = LoopKernels.Merge(Fusion.Plan(g, capabilities));
        var descriptions = LoopKernels.Lower(kernels, capabilities, body => Compile(body, capabilities, cancellationToken: cancellationToken, training: training));
        KernelChecks.Validate(descriptions, nameof(LowerKernelsPass));
        dumpKernels?.Invoke(nameof(LowerKernelsPass), KernelText.Write(descriptions));
        var memory = PlanMemoryPass.Run(g, descriptions);
        KernelChecks.Validate(memory, descriptions, nameof(PlanMemoryPass));
        dumpKernels?.Invoke(nameof(PlanMemoryPass), KernelText.Write(memory));
        return new CompiledEntry(g, kernels, descriptions, memory);
    }

    /// <summary>Runs the simplification passes; <paramref name="dump"/>, when given, receives the IR after each. Cancellation is checked before each pass.</summary>
    public static Graph Run(Graph g, Action<string, Graph>? dump = null, CancellationToken cancellationToken = default)
    {
        foreach (var (name, run) in Passes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            g = run(g);
            Validate(g, name);
            dump?.Invoke(name, g);
        }
        return g;
    }

    private static Graph Checked(Graph g, string pass, Action<string, Graph>? dump)
    {
        Validate(g, pass);
        dump?.Invoke(pass, g);
        return g;
    }

    public static void Validate(Graph g, string after)
    {
        var defined = new HashSet<Node>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in g.Nodes)
        {
            foreach (var i in n.Inputs)
                if (!defined.Contains(i)) throw new InvalidOperationException($"after {after}: {n.Name} uses {i.Name} before it is defined");
            if (!names.Add(n.Name)) throw new InvalidOperationException($"after {after}: node name {n.Name} is not unique");
            defined.Add(n);
        }
        foreach (var o in g.Outputs.Select(o => o.Node).Concat(g.Effects))
            if (!defined.Contains(o)) throw new InvalidOperationException($"after {after}: output {o.Name} is not in the graph");
    }
}
