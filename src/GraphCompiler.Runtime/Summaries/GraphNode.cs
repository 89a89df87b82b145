namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// One node of the graph shown in TensorBoard's Graphs tab (a <c>NodeDef</c>): a unique name whose
/// <c>/</c>-separated scopes fold into boxes (<c>two_layers/h1/MatMul</c>), its op, and the names of
/// the nodes it reads (optionally <c>name:k</c> for output k, or <c>^name</c> for a control edge).
/// </summary>
public sealed record GraphNode(string Name, string Op, IReadOnlyList<string> Inputs);
