using GraphCompiler.Compiler.IR;
using GraphCompiler.Generator.Diagnostics;
using GraphCompiler.Generator.Pipeline;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// <c>Ops.Prune(w)</c>: <c>w ⊙ mask</c> with the non-trainable mask variable <c>&lt;w&gt;_mask</c> (ones), created
/// on first use and shared by every model method that prunes w. Masks change only at run time (the
/// runtime's magnitude pruning); the graph only reads them.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>The suffix of a mask variable's name (the runtime pairs masks with weights by it).</summary>
    internal const string MaskSuffix = "_mask";

    private Value Prune(Arguments args)
    {
        var at = args.Call.Syntax;
        var w = TensorOf(args["variable"], args.Syntax("variable"));
        if (w.OpName != "variable" || !w.DType.IsFloat())
            throw Error(Descriptors.ShapeError, args.Syntax("variable"), $"prune: the argument must be a float variable (from Variable or GetVariable), got {w.OpName} {w.DType.ShortName()}{w.Shape}");
        var maskName = w.Attrs.GetString("name") + MaskSuffix;
        if (!_ctx.Variables.TryGet(maskName, out var existing))
        {
            var info = new VariableInfo(maskName, w.DType, w.Shape, InitSpec.Constant(1), false, _ctx.Span(at));
            _ctx.Variables.Add(info, LocationInfo.From(at), at, byGetVariable: true, CallSites);
            return Tensor(at, () => _g.Mul(w, _g.Variable(info)));
        }
        return Tensor(at, () => _g.Mul(w, _g.Variable(existing.Info)));
    }
}
