using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Reference;

/// <summary>
/// Runs any graph op by op with each op's reference semantics, in double precision (rounded to
/// the node's dtype after every op, so float32 graphs follow float32 results closely). It is
/// the oracle that generated code and gradients are checked against.
/// </summary>
public static class Interpreter
{
    /// <summary>The values of every node. Variables are read from (and effects written to) <paramref name="variables"/>.</summary>
    public static Dictionary<Node, RefTensor> Run(Graph g, IReadOnlyDictionary<string, RefTensor> inputs, IDictionary<string, RefTensor> variables) =>
        Run(g, inputs, variables, RunContext.Inference);

    /// <summary>
    /// As <see cref="Run(Graph, IReadOnlyDictionary{string, RefTensor}, IDictionary{string, RefTensor})"/>, for a run
    /// described by <paramref name="run"/> (training flag, graph seed, step), which run-dependent ops such as dropout read.
    /// </summary>
    public static Dictionary<Node, RefTensor> Run(Graph g, IReadOnlyDictionary<string, RefTensor> inputs, IDictionary<string, RefTensor> variables, RunContext run)
    {
        var bindings = BindSymbols(g, inputs);
        // A hyperparameter dim that no input carries is read off the variables that have it.
        foreach (var n in g.Nodes.Where(n => n.OpName == "variable"))
            if (variables.TryGetValue(n.Attrs.GetString("name"), out var value) && value.Rank == n.Shape.Rank)
                for (int i = 0; i < n.Shape.Rank; i++)
                    if (!n.Shape[i].IsStatic && !bindings.ContainsKey(n.Shape[i].Symbol!)) bindings[n.Shape[i].Symbol!] = value.Shape[i];
        run = run.WithDims(bindings);
        var values = new Dictionary<Node, RefTensor>();
        var loopResults = new Dictionary<Node, RefTensor[]>();
        foreach (var n in g.Nodes)
        {
            var shape = n.Shape.Resolve(bindings);
            values[n] = n.OpName switch
            {
                "input" => Check(n, inputs.TryGetValue(n.Attrs.GetString("name"), out var v) ? v : throw new ArgumentException($"input '{n.Attrs.GetString("name")}' is not fed"), shape),
                "variable" => Check(n, variables.TryGetValue(n.Attrs.GetString("name"), out var w) ? w : throw new ArgumentException($"variable '{n.Attrs.GetString("name")}' has no value"), shape),
                _ when n.Op is LoopOp loop => RunLoop(n, loop, n.Inputs.Select(i => values[i]).ToList(), run, loopResults),
                "loop_output" => loopResults[n.Inputs[0]][n.Attrs.GetInt("index")],
                _ when n.Op is IRunDependentOp dependent => dependent.Evaluate(n.Inputs.Select(i => values[i]).ToList(), n.Attrs, shape, run),
                _ => n.Op.Evaluate(n.Inputs.Select(i => values[i]).ToList(), n.Attrs, shape),
            };
        }
        foreach (var e in g.Effects) variables[Assign.Target(e)] = values[e];
        return values;
    }

    /// <summary>Runs a loop; its node's own value is a placeholder scalar, its results are read by its projections.</summary>
    private static RefTensor RunLoop(Node n, LoopOp loop, IReadOnlyList<RefTensor> inputs, RunContext run, Dictionary<Node, RefTensor[]> results)
    {
        results[n] = loop.Run(inputs, run);
        return RefTensor.Scalar(0, n.DType);
    }

    /// <summary>The graph's named outputs.</summary>
    public static Dictionary<string, RefTensor> Outputs(Graph g, IReadOnlyDictionary<string, RefTensor> inputs, IDictionary<string, RefTensor> variables) =>
        Outputs(g, inputs, variables, RunContext.Inference);

    /// <summary>The graph's named outputs for a run described by <paramref name="run"/>.</summary>
    public static Dictionary<string, RefTensor> Outputs(Graph g, IReadOnlyDictionary<string, RefTensor> inputs, IDictionary<string, RefTensor> variables, RunContext run)
    {
        var values = Run(g, inputs, variables, run);
        return g.Outputs.ToDictionary(o => o.Name, o => values[o.Node]);
    }

    /// <summary>Symbol sizes read off the fed inputs; conflicting sizes are an error naming the input.</summary>
    public static Dictionary<string, int> BindSymbols(Graph g, IReadOnlyDictionary<string, RefTensor> inputs)
    {
        var bindings = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var n in g.Inputs)
        {
            if (!inputs.TryGetValue(n.Attrs.GetString("name"), out var t)) continue;
            if (t.Rank != n.Shape.Rank) throw new ArgumentException($"input '{n.Attrs.GetString("name")}' must have rank {n.Shape.Rank} ({n.Shape}), got [{string.Join(", ", t.Shape)}]");
            for (int i = 0; i < t.Rank; i++)
            {
                var d = n.Shape[i];
                if (d.IsStatic) continue;
                if (bindings.TryGetValue(d.Symbol!, out var known) && known != t.Shape[i])
                    throw new ArgumentException($"input '{n.Attrs.GetString("name")}' binds {d.Symbol} = {t.Shape[i]}, but another input bound it to {known}");
                bindings[d.Symbol!] = t.Shape[i];
            }
        }
        return bindings;
    }

    private static RefTensor Check(Node n, RefTensor t, int[] shape)
    {
        if (!t.Shape.SequenceEqual(shape))
            throw new ArgumentException($"'{n.Name}' has shape [{string.Join(", ", shape)}], got a value of shape [{string.Join(", ", t.Shape)}]");
        return t;
    }
}
