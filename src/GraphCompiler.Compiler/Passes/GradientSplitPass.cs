using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Passes.Optimizers;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// Splits the train step at the gradient into two entry points, for custom training loops and
/// data-parallel training: <c>ComputeGradients</c> (the loss and its gradients, one output per
/// trainable variable) and <c>ApplyGradients</c> (the optimizer update, reading those gradients as
/// inputs). Run one after the other on the same batch they update the variables exactly as
/// <c>TrainStep</c> does; in between, the host may sum, scale, clip or all-reduce the gradients.
/// An embedding lookup's sparse gradient (rows and their ids) is made dense here: the gradient set is
/// one flat buffer per dtype that every replica all-reduces the same way, and the dense update of
/// untouched rows (gradient 0) leaves them where the sparse update would.
/// </summary>
public static class GradientSplitPass
{
    public const string ComputeGradients = "ComputeGradients";

    public const string ApplyGradients = "ApplyGradients";

    /// <summary>The output (in <c>ComputeGradients</c>) and input (in <c>ApplyGradients</c>) holding a variable's gradient.</summary>
    public static string GradientName(string variable) => "gradients/" + variable;

    /// <summary>Whether <paramref name="name"/> is a gradient input or output, and the variable it belongs to.</summary>
    public static bool TryVariableOf(string name, out string variable)
    {
        variable = name.StartsWith("gradients/", StringComparison.Ordinal) ? name.Substring("gradients/".Length) : "";
        return variable.Length > 0;
    }

    /// <summary>The option of the optimizer spec that asks for the split (<c>[Model(GradientSet = true)]</c>).</summary>
    public const string Option = "gradient_set";

    public static bool Requested(string optimizer) => OptimizerSpec.Parse(optimizer).GetBool(Option);

    /// <summary>
    /// The loss graph with its gradients as outputs: <c>loss</c>, then <c>gradients/&lt;variable&gt;</c>
    /// for every trainable variable the loss depends on, in variable order (that order is the gradient
    /// set's layout), leaving out the model's build-time frozen scopes. Summaries of the loss graph stay
    /// outputs, as in the train step.
    /// </summary>
    public static Graph BuildComputeGradients(EntryPoint loss, string optimizer)
    {
        var b = new GraphBuilder(ComputeGradients, loss.Graph.Variables.ToDictionary(kv => kv.Key, kv => kv.Value));
        var (y, trainable, grads, map) = OptimizerPass.Differentiate(b, loss, FreezeSets.Frozen(OptimizerSpec.Parse(optimizer)));
        foreach (var e in loss.Graph.Effects) b.AddEffect(map[e]);
        b.AddOutput("loss", y);
        for (int i = 0; i < trainable.Count; i++)
        {
            if (grads[i] is not { } g) continue;
            // A sparse_rows node computed as an output is its dense scatter-add.
            b.AddOutput(GradientName(trainable[i].Attrs.GetString("name")), g);
        }
        foreach (var o in loss.Graph.Outputs.Where(o => SummaryOutputs.IsSummary(o.Name))) b.AddOutput(o.Name, map[o.Node]);
        return b.Build();
    }

    /// <summary>
    /// The optimizer update of every variable that <paramref name="computeGradients"/> gives a gradient,
    /// reading each gradient from the input <c>gradients/&lt;variable&gt;</c>.
    /// </summary>
    public static Graph BuildApplyGradients(Graph computeGradients, string optimizer)
    {
        var spec = OptimizerSpec.Parse(optimizer);
        var b = new GraphBuilder(ApplyGradients);
        var variables = new List<Node>();
        var grads = new List<Node?>();
        foreach (var o in computeGradients.Outputs)
        {
            if (!TryVariableOf(o.Name, out var name)) continue;
            var info = computeGradients.Variables[name];
            variables.Add(b.Variable(info));
            grads.Add(b.Input(o.Name, info.DType, info.Shape));
        }
        OptimizerPass.AddUpdates(b, spec, variables, grads.ToArray());
        return b.Build();
    }

    /// <summary>The trainable variables with a gradient, in the gradient set's order.</summary>
    public static IReadOnlyList<VariableInfo> GradientVariables(Graph computeGradients) =>
        computeGradients.Outputs.Where(o => TryVariableOf(o.Name, out _)).Select(o => computeGradients.Variables[o.Name.Substring("gradients/".Length)]).ToList();
}
