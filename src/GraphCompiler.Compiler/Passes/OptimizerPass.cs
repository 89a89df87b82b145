using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Passes;

/// <summary>
/// Builds the train step from the loss entry: the loss graph, the gradients of the loss with
/// respect to every trainable variable it uses, and one update per variable as an assign effect.
/// The learning rate is a scalar input named <see cref="LearningRateInput"/>.
/// </summary>
public static class OptimizerPass
{
    public const string LearningRateInput = "learning_rate";

    public static Graph BuildTrainStep(EntryPoint loss, string optimizer)
    {
        var lossGraph = loss.Graph;
        var b = new GraphBuilder("TrainStep", lossGraph.Variables.ToDictionary(kv => kv.Key, kv => kv.Value));
        var map = GraphRewriter.Copy(lossGraph, b);
        var y = map[lossGraph.Outputs.First(o => !SummaryOutputs.IsSummary(o.Name)).Node];
        if (y.Shape.Rank != 0)
            throw new CompileException("GC0401", $"the loss must be a scalar, but '{loss.MethodName}' returns a tensor of shape {y.Shape}; reduce it, e.g. with ReduceSum or ReduceMean", y.Source);
        var trainable = lossGraph.Nodes.Where(n => n.OpName == "variable" && lossGraph.Variables[n.Attrs.GetString("name")].Trainable).Select(n => map[n]).ToList();
        if (trainable.Count == 0)
            throw new CompileException("GC0402", $"the loss '{loss.MethodName}' depends on no trainable variable, so there is nothing to train", y.Source);
        Node?[] grads;
        try
        {
            grads = Autodiff.Gradients(b, y, trainable);
        }
        catch (NoGradientException e)
        {
            throw new CompileException("GC0400", $"op '{e.Node.OpName}' ({e.Node.Name}) has no gradient, but it lies on the path from a trainable variable to the loss '{loss.MethodName}'; wrap its input in StopGradient or remove it from the training path", e.Node.Source);
        }
        var lr = b.Input(LearningRateInput, DType.Float32, Shape.Scalar);
        b.PushNameScope(optimizer == "gradient_descent" ? "GradientDescent" : optimizer);
        for (int i = 0; i < trainable.Count; i++)
        {
            if (grads[i] is not { } g) continue;
            var v = trainable[i];
            var rate = v.DType == DType.Float32 ? lr : throw new CompileException("GC0403", $"variable '{v.Name}' is {v.DType.ShortName()}; only float32 variables are trained so far", v.Source);
            var updated = optimizer switch
            {
                "gradient_descent" => b.Sub(v, b.Mul(rate, g)),
                _ => throw new CompileException("GC0404", $"optimizer '{optimizer}' is not supported yet", null),
            };
            b.AddEffect(b.Apply("assign", new[] { v, updated }, name: "update_" + v.Attrs.GetString("name").Replace('/', '_')));
        }
        b.PopNameScope();
        foreach (var e in lossGraph.Effects) b.AddEffect(map[e]);
        b.AddOutput("loss", y);
        foreach (var o in lossGraph.Outputs.Where(o => SummaryOutputs.IsSummary(o.Name))) b.AddOutput(o.Name, map[o.Node]);
        return b.Build();
    }
}

/// <summary>A compile-stage error with its diagnostic ID and location.</summary>
public sealed class CompileException : Exception
{
    public CompileException(string id, string message, SourceSpan? source) : base(message)
    {
        Id = id;
        Location = source;
    }

    public string Id { get; }

    public SourceSpan? Location { get; }

    public CompilerDiagnostic ToDiagnostic() => new(Id, Severity.Error, Message, Location);
}
