namespace GraphCompiler.Compiler.IR;

/// <summary>
/// One computation: nodes in topological order, the named outputs it produces and the state
/// updates (assign ops) it performs. Entry points of a model (an inference method, the train
/// step) are one graph each; they share the model's variables by name.
/// </summary>
public sealed class Graph
{
    public Graph(string name, IReadOnlyList<Node> nodes, IReadOnlyList<GraphOutput> outputs, IReadOnlyList<Node> effects, IReadOnlyDictionary<string, VariableInfo> variables)
    {
        Name = name;
        Nodes = nodes;
        Outputs = outputs;
        Effects = effects;
        Variables = variables;
    }

    public string Name { get; }

    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyList<GraphOutput> Outputs { get; }

    /// <summary>State updates in program order (executed after all outputs are computed).</summary>
    public IReadOnlyList<Node> Effects { get; }

    /// <summary>The variables of the model this graph belongs to, by full name.</summary>
    public IReadOnlyDictionary<string, VariableInfo> Variables { get; }

    /// <summary>Placeholders (op <c>input</c>) in order of declaration.</summary>
    public IEnumerable<Node> Inputs => Nodes.Where(n => n.OpName == "input");

    /// <summary>The symbols of all input shapes, in order of first appearance.</summary>
    public IEnumerable<string> Symbols => Inputs.SelectMany(n => n.Shape.Symbols).Distinct();

    public Node Output(string name) => Outputs.First(o => o.Name == name).Node;

    /// <summary>
    /// Every node's consumers in graph order, each listed once however many of its inputs it takes
    /// from the node (a fresh table: the fusion planner and the entry emitter keep their own).
    /// </summary>
    public Dictionary<Node, List<Node>> Consumers()
    {
        var consumers = Nodes.ToDictionary(n => n, _ => new List<Node>());
        foreach (var n in Nodes)
            foreach (var i in n.Inputs.Distinct()) consumers[i].Add(n);
        return consumers;
    }

    public override string ToString() => GraphText.Write(this);
}

public sealed record GraphOutput(string Name, Node Node);
