using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.EndToEnd.Tests.Models;
using GraphCompiler.Runtime;

namespace GraphCompiler.EndToEnd.Tests.Recurrent;

/// <summary>
/// <c>Rnn.DropoutWrapper</c>'s masks, read from the train step's graph run by the interpreter on inputs of
/// ones: variational masks are drawn once per sequence (the same at every step, different between the
/// sequences of a batch); the others are drawn again at every step.
/// </summary>
public class RecurrentDropoutTests
{
    private const int Batch = 3, Steps = 4, Features = 6, Units = 4;

    private static (Graph Graph, Dictionary<string, RefTensor> Values) Masks(Func<Node, bool> select)
    {
        var model = new RnnDropoutModel(seed: 21);
        var loss = GraphText.Parse(RnnDropoutModel.Ir.Loss);
        var b = new GraphBuilder("masks", loss.Variables.ToDictionary(kv => kv.Key, kv => kv.Value));
        var map = GraphRewriter.Copy(loss, b);
        foreach (var n in loss.Nodes.Where(select)) b.AddOutput("n" + n.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), map[n]);
        var variables = ((IModel)model).AllVariables.ToDictionary(v => v.Name, v => new RefTensor(Compiler.IR.DType.Float32, v.Shape.ToArray(), v.ToDoubleArray()));
        var feeds = new Dictionary<string, RefTensor> { ["x"] = new(Compiler.IR.DType.Float32, [Batch, Steps, Features], Enumerable.Repeat(1.0, Batch * Steps * Features).ToArray()) };
        return (loss, Interpreter.Outputs(b.Build(), feeds, variables, new RunContext(isTraining: true, graphSeed: 21, step: 3)));
    }

    private static double[] Row(RefTensor t, int index, int width) => t.Data.AsSpan(index * width, width).ToArray();

    private static RefTensor Value(Dictionary<string, RefTensor> values, Node n) => values["n" + n.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    [Fact]
    public void VariationalMasksAreTheSameAtEveryStepAndDifferBetweenSequences()
    {
        var (graph, values) = Masks(n => n.Name.StartsWith("variational/", StringComparison.Ordinal) && (n.OpName == "dropout" || n.OpName == "mul"));
        var dropouts = graph.Nodes.Where(n => n.OpName == "dropout" && n.Name.StartsWith("variational/", StringComparison.Ordinal)).ToList();
        // One input mask [batch, features] and one state mask [batch, units] for the whole sequence.
        Assert.Equal(new[] { $"[{Batch}, {Features}]", $"[{Batch}, {Units}]" }, dropouts.Select(d => "[" + string.Join(", ", Value(values, d).Shape) + "]"));
        var consumers = graph.Consumers();
        // The state mask multiplies the state of every step.
        Assert.Equal(Steps, consumers[dropouts[1]].Count(c => c.OpName == "mul"));
        foreach (var mask in dropouts)
        {
            var m = Value(values, mask);
            int width = m.Shape[1];
            Assert.All(m.Data, v => Assert.True(v == 0 || v == 2, $"a keep-0.5 mask holds 0 or 2, got {v}"));
            for (int i = 0; i < Batch; i++)
                for (int j = i + 1; j < Batch; j++)
                    Assert.NotEqual(Row(m, i, width), Row(m, j, width));
        }
        // On inputs of ones the masked input is the mask itself at every time step.
        var masked = Value(values, consumers[dropouts[0]].Single(c => c.OpName == "mul"));
        Assert.Equal(new[] { Steps, Batch, Features }, masked.Shape);
        for (int t = 1; t < Steps; t++) Assert.Equal(Row(masked, 0, Batch * Features), Row(masked, t, Batch * Features));
    }

    [Fact]
    public void NonVariationalMasksDifferFromStepToStep()
    {
        var (graph, values) = Masks(n => n.Name.StartsWith("per_step/", StringComparison.Ordinal) && n.OpName == "dropout");
        var dropouts = graph.Nodes.Where(n => n.OpName == "dropout" && n.Name.StartsWith("per_step/", StringComparison.Ordinal)).ToList();
        // The input dropout covers all steps at once ([time, batch, features]); the state draws one per step.
        Assert.Equal(1 + Steps, dropouts.Count);
        var input = Value(values, dropouts[0]);
        Assert.Equal(new[] { Steps, Batch, Features }, input.Shape);
        var slices = Enumerable.Range(0, Steps).Select(t => Row(input, t, Batch * Features)).ToList();
        Assert.Equal(Steps, slices.Select(s => string.Join(",", s)).Distinct().Count());
        var zeros = dropouts.Skip(1).Select(d => string.Join(",", Value(values, d).Data.Select(v => v == 0 ? 0 : 1))).ToList();
        Assert.Equal(Steps, zeros.Distinct().Count());
    }
}
