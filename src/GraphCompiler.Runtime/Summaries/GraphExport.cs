using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Runtime.Summaries;

/// <summary>The TensorBoard graph of a model: its IR nodes with their scoped names, ops and inputs.</summary>
public static class GraphExport
{
    /// <summary>Nodes of an IR text (a generated model's <c>Ir.TrainStep</c>, or <c>IModel.GraphIr</c>).</summary>
    public static IReadOnlyList<GraphNode> FromIr(string irText)
    {
        var graph = GraphText.Parse(irText);
        return graph.Nodes.Select(n => new GraphNode(n.Name, n.OpName, n.Inputs.Select(i => i.Name).ToList())).ToList();
    }

    /// <summary>Writes the model's graph (when it has one) to the writer's event file.</summary>
    public static void Write(SummaryWriter writer, IModel model)
    {
        if (model.GraphIr is { } ir) writer.Graph(FromIr(ir));
    }
}
