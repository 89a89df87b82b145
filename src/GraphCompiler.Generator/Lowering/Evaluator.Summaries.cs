using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;
using GraphCompiler.Generator.Diagnostics;

namespace GraphCompiler.Generator.Lowering;

/// <summary>Calls to <c>GraphCompiler.Summary</c>: each becomes a summary output of the graph.</summary>
internal sealed partial class Evaluator
{
    private Value SummaryCall(string name, Arguments args)
    {
        var at = args.Call.Syntax;
        var tag = _g.ScopePrefix + Name(args, "tag", "summary tag");
        string kind = name switch
        {
            "Scalar" => SummaryOutputs.Scalar,
            "Histogram" => SummaryOutputs.Histogram,
            "Image" => SummaryOutputs.Image,
            "Text" => SummaryOutputs.Text,
            _ => throw Error(Descriptors.UnknownMethod, at, "Summary." + name),
        };
        Node node;
        if (kind == SummaryOutputs.Text)
        {
            var text = args["text"] is StringValue s ? s.Value : throw Error(Descriptors.EvaluationError, args.Syntax("text"), "the text of a text summary must be a string known at build time");
            node = At(at, () => _g.Apply("summary_text", Array.Empty<Node>(), Attrs.Of(("text", (object)text))));
        }
        else
        {
            node = TensorOf(args[kind == SummaryOutputs.Scalar ? "value" : kind == SummaryOutputs.Image ? "image" : "values"], at);
            At(at, () =>
            {
                SummaryOutputs.Check(kind, tag, node);
                return node;
            });
        }
        _g.AddOutput(SummaryOutputs.UniqueName(kind, tag, n => _g.HasOutput(n)), node);
        return NullValue.Instance;
    }
}
