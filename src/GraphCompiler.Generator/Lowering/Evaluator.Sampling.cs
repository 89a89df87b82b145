using GraphCompiler.Compiler.Ops.Composites;

namespace GraphCompiler.Generator.Lowering;

/// <summary>Calls to the sampled losses of <c>GraphCompiler.Ops</c>, through <see cref="Sampling"/>.</summary>
internal sealed partial class Evaluator
{
    private bool TrySamplingOpCall(string name, Arguments args, out Value value)
    {
        var at = args.Call.Syntax;
        Compiler.IR.Node X(string p) => TensorOf(args[p], args.Syntax(p));
        int Int(string p, string usage) => (int)IntOf(args[p], args.Syntax(p), usage);
        switch (name)
        {
            case "NceLoss":
            {
                var weights = X("weights");
                var biases = X("biases");
                var labels = X("labels");
                var inputs = X("inputs");
                int numSampled = Int("numSampled", "as the number of sampled classes");
                // A dimension hyperparameter (the vocabulary) is the sampler's range at run time.
                var numClasses = args["numClasses"] is SymbolicDimValue c && _ctx.IsHyperDim(c.Symbol)
                    ? Compiler.IR.Dim.Sym(c.Symbol)
                    : Compiler.IR.Dim.Of(Int("numClasses", "as the number of classes"));
                int numTrue = Int("numTrue", "as the number of true classes");
                bool remove = Bool(args["removeAccidentalHits"], args.Syntax("removeAccidentalHits"));
                long? seed = args["seed"] is IntValue s ? s.Value : null;
                value = Tensor(at, () => Sampling.NceLoss(_g, weights, biases, labels, inputs, numSampled, numClasses, numTrue, remove, seed));
                return true;
            }
            case "NegativeSamplingLoss":
            {
                var weights = X("weights");
                var labels = X("labels");
                var negatives = X("negatives");
                var inputs = X("inputs");
                value = Tensor(at, () => Sampling.NegativeSamplingLoss(_g, weights, labels, negatives, inputs));
                return true;
            }
            default:
                value = null!;
                return false;
        }
    }
}
