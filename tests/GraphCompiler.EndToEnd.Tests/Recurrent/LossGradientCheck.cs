using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Passes;
using GraphCompiler.Compiler.Reference;
using GraphCompiler.Runtime;
using static GraphCompiler.EndToEnd.Tests.Recurrent.RecurrentCellTests;

namespace GraphCompiler.EndToEnd.Tests.Recurrent;

/// <summary>
/// A model's loss graph (its IR, read in double precision) differentiated by autodiff with respect to every
/// variable, against central finite differences of the same graph, element by element.
/// </summary>
internal static class LossGradientCheck
{
    /// <summary>Checks every variable's gradient at the model's current values; <c>lengths</c> feeds are Int32.</summary>
    public static void AgreesWithFiniteDifferences(IModel model, string lossIr, Dictionary<string, (float[], int[])> feedValues)
    {
        var loss = GraphText.Parse(lossIr.Replace("f32", "f64", StringComparison.Ordinal));
        var b = new GraphBuilder("gradients", loss.Variables.ToDictionary(kv => kv.Key, kv => kv.Value));
        var map = GraphRewriter.Copy(loss, b);
        var variables = loss.Nodes.Where(n => n.OpName == "variable").GroupBy(n => n.Attrs.GetString("name")).ToDictionary(g => g.Key, g => map[g.First()]);
        var names = variables.Keys.Order(StringComparer.Ordinal).ToArray();
        var grads = Autodiff.Gradients(b, map[loss.Output("result")], names.Select(n => variables[n]).ToList());
        for (int i = 0; i < names.Length; i++) b.AddOutput(names[i], grads[i]!);
        var gradients = b.Build();

        var values = names.ToDictionary(n => n, n => new RefTensor(Compiler.IR.DType.Float64, model.AllVariables[n].Shape.ToArray(), Data(model, n)));
        var feeds = feedValues.ToDictionary(kv => kv.Key, kv => new RefTensor(
            kv.Key == "lengths" ? Compiler.IR.DType.Int32 : Compiler.IR.DType.Float64, kv.Value.Item2, kv.Value.Item1.Select(v => (double)v).ToArray()));
        var analytic = Interpreter.Outputs(gradients, feeds, values);
        double Loss() => Interpreter.Outputs(loss, feeds, values)["result"].Data[0];

        const double eps = 1e-6;
        foreach (var variable in names)
        {
            var data = values[variable].Data;
            Assert.Contains(analytic[variable].Data, g => g != 0);
            for (int e = 0; e < data.Length; e++)
            {
                double saved = data[e];
                data[e] = saved + eps;
                double up = Loss();
                data[e] = saved - eps;
                double down = Loss();
                data[e] = saved;
                double numeric = (up - down) / (2 * eps);
                Assert.True(Math.Abs(numeric - analytic[variable].Data[e]) <= 1e-6 + 1e-6 * Math.Abs(numeric),
                    $"d loss / d {variable}[{e}]: autodiff {analytic[variable].Data[e]}, finite differences {numeric}");
            }
        }
    }
}
