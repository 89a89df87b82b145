using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops.Composites;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using AttentionOps = GraphCompiler.Compiler.Ops.Composites.Attention;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// Calls to the Transformer ops of <c>GraphCompiler.Ops</c> and layers of <c>GraphCompiler.Layers</c>
/// (docs/attention.md): layer normalization, multi-head attention, the feed-forward block and encoder
/// layers with the variable names of BERT's checkpoints, built on <see cref="AttentionOps"/>.
/// </summary>
internal sealed partial class Evaluator
{
    private static readonly HashSet<string> AttentionLayers = new(StringComparer.Ordinal)
    {
        "LayerNormalization", "MultiHeadAttention", "FeedForward", "TransformerEncoderLayer",
    };

    /// <summary>BERT's <c>initializer_range</c>: the σ of the truncated normal of every attention and feed-forward kernel.</summary>
    private const double InitializerRange = 0.02;

    /// <summary><c>Activation.Gelu</c>, the encoder layer's feed-forward activation.</summary>
    private const long GeluActivation = 7;

    private bool TryAttentionOpCall(string name, Arguments args, out Value value)
    {
        var at = args.Call.Syntax;
        Node X(string p) => TensorOf(args[p], args.Syntax(p));
        switch (name)
        {
            case "LayerNormalization":
            {
                var x = X("x");
                var gamma = X("gamma");
                var beta = X("beta");
                double epsilon = Epsilon(args);
                value = Tensor(at, () => AttentionOps.LayerNormalization(_g, x, gamma, beta, epsilon));
                return true;
            }
            case "MaskedSoftmax":
            {
                var logits = X("logits");
                var mask = OptionalTensor(args, "mask");
                double scale = FloatOf(args["scale"], args.Syntax("scale"), "as a scale");
                bool causal = Bool(args["causal"], args.Syntax("causal"));
                value = Tensor(at, () => AttentionOps.MaskedSoftmax(_g, logits, mask, scale, causal));
                return true;
            }
            case "ScaledDotProductAttention":
            {
                var (q, k, v) = (X("query"), X("key"), X("value"));
                var mask = OptionalTensor(args, "mask");
                bool causal = Bool(args["causal"], args.Syntax("causal"));
                value = Tensor(at, () => AttentionOps.ScaledDotProduct(_g, q, k, v, mask, causal));
                return true;
            }
            case "PositionalEncoding":
            {
                int length = (int)IntOf(args["length"], args.Syntax("length"), "as a sequence length");
                int depth = (int)IntOf(args["depth"], args.Syntax("depth"), "as a depth");
                value = Tensor(at, () => AttentionOps.PositionalEncoding(_g, length, depth));
                return true;
            }
            case "MaskedSparseSoftmaxCrossEntropy":
            {
                var labels = X("labels");
                var logits = X("logits");
                var mask = OptionalTensor(args, "mask");
                long ignore = IntOf(args["ignoreLabel"], args.Syntax("ignoreLabel"), "as the ignored label");
                value = Tensor(at, () => AttentionOps.MaskedSparseSoftmaxCrossEntropy(_g, labels, logits, mask, ignore));
                return true;
            }
            default:
                value = NullValue.Instance;
                return false;
        }
    }

    private Value AttentionLayerCall(string name, Arguments args)
    {
        var at = args.Call.Syntax;
        Node X(string p) => TensorOf(args[p], args.Syntax(p));
        int Positive(string p, string usage)
        {
            long v = IntOf(args[p], args.Syntax(p), usage);
            return v >= 1 && v <= int.MaxValue ? (int)v : throw Error(Descriptors.ShapeError, args.Syntax(p), $"{p} must be at least 1, got {v}");
        }
        string? given = args["name"] is NullValue ? null : LayerName(args);
        switch (name)
        {
            case "LayerNormalization":
                return new TensorValue(LayerNorm(X("x"), Epsilon(args), given, "layer_normalization", at));
            case "MultiHeadAttention":
            {
                var query = X("query");
                var value = X("value");
                int heads = Positive("numHeads", "as a number of heads"), keyDim = Positive("keyDim", "as a key size");
                var mask = OptionalTensor(args, "attentionMask");
                bool causal = Bool(args["causal"], args.Syntax("causal"));
                double dropout = DropoutRate(args);
                return new TensorValue(MultiHeadAttention(query, value, heads, keyDim, mask, causal, dropout, given, at));
            }
            case "FeedForward":
            {
                var x = X("x");
                int inner = Positive("intermediateSize", "as an intermediate size");
                long activation = IntOf(args["activation"], args.Syntax("activation"), "as an activation");
                double dropout = DropoutRate(args);
                Node Build() => FeedForward(x, inner, activation, dropout, at, args.Syntax("activation"));
                return new TensorValue(given is null ? Build() : InLayerScope(new LayerValue(name, args, given), given, Build));
            }
            case "TransformerEncoderLayer":
            {
                var x = X("x");
                var mask = OptionalTensor(args, "mask");
                int heads = Positive("numHeads", "as a number of heads"), inner = Positive("intermediateSize", "as an intermediate size");
                bool preNorm = Bool(args["preNorm"], args.Syntax("preNorm"));
                double dropout = DropoutRate(args), epsilon = Epsilon(args);
                int d = StaticFeatures(x, 3, "transformer_encoder_layer", "attention/self/query/kernel", args.Syntax("x"));
                if (d % heads != 0)
                    throw Error(Descriptors.ShapeError, args.Syntax("numHeads"), $"transformer_encoder_layer: the hidden size {d} must be a multiple of numHeads {heads}");
                var layer = new LayerValue(name, args, given ?? FirstFreeLayerIndex());
                return new TensorValue(InLayerScope(layer, "layer", () =>
                {
                    Node Norm(Node input, string scope) => Nested(new[] { scope }, () => LayerNorm(input, epsilon, "LayerNorm", "LayerNorm", at));
                    Node Attend(Node input) => Dropped(MultiHeadAttention(input, input, heads, d / heads, mask, false, dropout, "attention", at), dropout, at);
                    Node Feed(Node input) => FeedForward(input, inner, GeluActivation, dropout, at, at);
                    if (preNorm)
                    {
                        var a = At(at, () => _g.Add(x, Attend(Norm(x, "attention/output"))));
                        return At(at, () => _g.Add(a, Feed(Norm(a, "output"))));
                    }
                    var attended = Attend(x);
                    var y = Norm(At(at, () => _g.Add(x, attended)), "attention/output");
                    var fed = Feed(y);
                    return Norm(At(at, () => _g.Add(y, fed)), "output");
                }));
            }
            default:
                throw Error(Descriptors.UnknownMethod, at, "Layers." + name);
        }
    }

    /// <summary>γ·x̂ + β over the last axis with variables <c>gamma</c> (ones) and <c>beta</c> (zeros) in the layer's scope.</summary>
    private Node LayerNorm(Node x, double epsilon, string? name, string kerasName, SyntaxNode at)
    {
        int d = StaticFeatures(x, 0, "layer_normalization", "gamma", at);
        return InLayerScope(new LayerValue("LayerNormalization", NullValue.Instance, name), kerasName, () =>
        {
            var gamma = LayerVariable("gamma", Shape.Of(d), "ones", 0, 0, at);
            var beta = LayerVariable("beta", Shape.Of(d), "zeros", 0, 0, at);
            return At(at, () => AttentionOps.LayerNormalization(_g, x, gamma, beta, epsilon));
        });
    }

    private Node MultiHeadAttention(Node query, Node value, int heads, int keyDim, Node? mask, bool causal, double dropout, string? name, SyntaxNode at)
    {
        int d = StaticFeatures(query, 3, "multi_head_attention", "self/query/kernel", at);
        int dv = StaticFeatures(value, 3, "multi_head_attention", "self/key/kernel", at);
        int inner = heads * keyDim;
        return InLayerScope(new LayerValue("MultiHeadAttention", NullValue.Instance, name), "attention", () =>
        {
            var (wq, bq) = DenseVariables(new[] { "self", "query" }, d, inner, at);
            var (wk, bk) = DenseVariables(new[] { "self", "key" }, dv, inner, at);
            var (wv, bv) = DenseVariables(new[] { "self", "value" }, dv, inner, at);
            var (wo, bo) = DenseVariables(new[] { "output", "dense" }, inner, d, at);
            var projections = new AttentionOps.Projections(wq, bq, wk, bk, wv, bv, wo, bo);
            return At(at, () => AttentionOps.MultiHead(_g, query, value, projections, heads, keyDim, mask, causal, dropout));
        });
    }

    /// <summary>BERT's feed-forward block: <c>intermediate/dense</c> with the activation, then <c>output/dense</c> back to d, then dropout.</summary>
    private Node FeedForward(Node x, int inner, long activation, double dropout, SyntaxNode at, SyntaxNode activationAt)
    {
        int d = StaticFeatures(x, 0, "feed_forward", "intermediate/dense/kernel", at);
        var hidden = Nested(new[] { "intermediate", "dense" }, () =>
        {
            var (w, b) = DenseVariables(d, inner, at);
            return At(at, () => Activate(AttentionOps.Dense(_g, x, w, b), activation, activationAt));
        });
        var output = Nested(new[] { "output", "dense" }, () =>
        {
            var (w, b) = DenseVariables(inner, d, at);
            return At(at, () => AttentionOps.Dense(_g, hidden, w, b));
        });
        return Dropped(output, dropout, at);
    }

    /// <summary>A kernel [rows, cols] (truncated normal, σ 0.02) and a bias [cols] (zeros) in the current scope.</summary>
    private (Node Kernel, Node Bias) DenseVariables(int rows, int cols, SyntaxNode at) =>
        (LayerVariable("kernel", Shape.Of(rows, cols), "truncated_normal", 0, InitializerRange, at), LayerVariable("bias", Shape.Of(cols), "zeros", 0, 0, at));

    /// <summary><see cref="DenseVariables(int, int, SyntaxNode)"/> under the nested scopes <paramref name="path"/>.</summary>
    private (Node Kernel, Node Bias) DenseVariables(string[] path, int rows, int cols, SyntaxNode at)
    {
        Node bias = null!;
        var kernel = Nested(path, () =>
        {
            (var k, bias) = DenseVariables(rows, cols, at);
            return k;
        });
        return (kernel, bias);
    }

    /// <summary>Runs <paramref name="build"/> in the nested variable (and name) scopes of <paramref name="path"/>, each segment a fixed name.</summary>
    private Node Nested(IReadOnlyList<string> path, Func<Node> build)
    {
        var segments = path.SelectMany(p => p.Split('/')).ToArray();
        Node Open(int i) => i == segments.Length ? build() : InLayerScope(new LayerValue("scope", NullValue.Instance, segments[i]), segments[i], () => Open(i + 1));
        return Open(0);
    }

    private Node Dropped(Node x, double rate, SyntaxNode at) => rate > 0 ? At(at, () => MathComposites.Dropout(_g, x, rate, null)) : x;

    /// <summary>BERT's <c>layer_k</c>: the first index whose scope this entry method has not opened under the current variable scope.</summary>
    private string FirstFreeLayerIndex()
    {
        var parent = CurrentVariableScope.VariableScopeName;
        for (int k = 0; ; k++)
        {
            var candidate = "layer_" + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!_layerScopes.Contains(parent.Length == 0 ? candidate : parent + "/" + candidate)) return candidate;
        }
    }

    /// <summary>The static size of x's last axis (x of rank <paramref name="rank"/>, or ≥ 1 when 0): the size its variables need.</summary>
    private int StaticFeatures(Node x, int rank, string op, string variable, SyntaxNode at)
    {
        if (rank > 0 ? x.Shape.Rank != rank : x.Shape.Rank < 1)
            throw Error(Descriptors.ShapeError, at, $"{op}: the input must be {(rank == 3 ? "[batch, length, features]" : "of rank ≥ 1")}, got {x.DType.ShortName()}{x.Shape}");
        var last = x.Shape[x.Shape.Rank - 1];
        if (!last.IsStatic)
            throw Error(Descriptors.VariableShapeNotStatic, at, variable, $"the input's last dimension is the symbolic size '{last}', known only at call time (its variables need the size)");
        return last.Size;
    }

    private Node? OptionalTensor(Arguments args, string p) => args[p] is NullValue ? null : TensorOf(args[p], args.Syntax(p));

    private double Epsilon(Arguments args)
    {
        double epsilon = FloatOf(args["epsilon"], args.Syntax("epsilon"), "as an epsilon");
        return epsilon > 0 ? epsilon : throw Error(Descriptors.ShapeError, args.Syntax("epsilon"), $"layer_normalization: epsilon must be positive, got {epsilon}");
    }

    private double DropoutRate(Arguments args)
    {
        double rate = FloatOf(args["dropout"], args.Syntax("dropout"), "as the dropout rate");
        return rate >= 0 && rate < 1 ? rate : throw Error(Descriptors.ShapeError, args.Syntax("dropout"), $"dropout: rate must be in [0, 1), got {rate}");
    }
}
