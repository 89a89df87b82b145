using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// The simplification passes, named and listed in the order they run. Each result is validated
/// (every input defined before use, names unique) so a broken pass fails at its own name.
/// </summary>
public static class PassPipeline
{
    public static IReadOnlyList<(string Name, Func<Graph, Graph> Run)> Passes { get; } = new (string, Func<Graph, Graph>)[]
    {
        ("FoldConstantsPass", Simplify.FoldConstantsPass),
        ("AlgebraicIdentitiesPass", Simplify.AlgebraicIdentitiesPass),
        ("FoldConstantsPass", Simplify.FoldConstantsPass),
        ("EliminateCommonSubexpressionsPass", Simplify.EliminateCommonSubexpressionsPass),
        ("AccumulateIntoGatheredSumsPass", Simplify.AccumulateIntoGatheredSumsPass),
        ("EliminateDeadCodePass", Simplify.EliminateDeadCodePass),
    };

    /// <summary>Runs every pass; <paramref name="dump"/>, when given, receives the IR after each. Cancellation is checked before each pass.</summary>
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
