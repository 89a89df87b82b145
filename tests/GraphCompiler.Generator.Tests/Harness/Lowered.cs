using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;

namespace GraphCompiler.Generator.Tests.Harness;

/// <summary>Runs the generator on model members and returns the lowered model, failing on any error.</summary>
internal static class Lowered
{
    public static ModelDefinition Model(string members)
    {
        var run = GeneratorHarness.Run(Expect.InModel(members));
        Assert.Empty(run.Errors);
        return ModelDefinition.Parse(run.ModelText);
    }

    public static Graph Entry(string members, string name = "F") => Model(members).Entries.Single(e => e.MethodName == name).Graph;

    /// <summary>The op names of a graph in order, e.g. <c>input variable mul</c>.</summary>
    public static string Ops(Graph g) => string.Join(" ", g.Nodes.Select(n => n.OpName));

    public static IEnumerable<Node> OfOp(this Graph g, string op) => g.Nodes.Where(n => n.OpName == op);

    public static Node Result(this Graph g) => g.Output("result");
}
