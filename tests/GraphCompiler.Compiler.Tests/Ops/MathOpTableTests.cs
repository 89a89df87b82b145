using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Compiler.Ops.Composites;

namespace GraphCompiler.Compiler.Tests.Ops;

/// <summary>
/// The math family's rows of the op table: a finite-difference gradient check for every
/// differentiable primitive of the family and for each composite built on them.
/// </summary>
public class MathOpTableTests
{
    private static Attrs Reduce(int[] axes, bool keep) => Attrs.Of(("axes", axes), ("keepdims", keep));

    private static Node Op(GraphBuilder b, string op, params Node[] x) => b.Apply(op, x);

    private static OpTableTests.Case Row(string name, int[][] shapes, Func<GraphBuilder, Node[], Node> build, double low = -2, double high = 2, int[]? wrt = null) =>
        new(name, shapes, build, low, high, wrt);

    private static int[][] S(params int[][] shapes) => shapes;

    public static readonly OpTableTests.Case[] Cases =
    {
        // elementwise primitives
        Row("abs", S(new[] { 3, 4 }), (b, x) => Op(b, "abs", x[0])),
        Row("sign", S(new[] { 5 }), (b, x) => Op(b, "sign", x[0])),
        Row("exp", S(new[] { 2, 3 }), (b, x) => Op(b, "exp", x[0])),
        Row("log", S(new[] { 4 }), (b, x) => Op(b, "log", x[0]), 0.3, 3),
        Row("log1p", S(new[] { 4 }), (b, x) => Op(b, "log1p", x[0]), -0.7, 3),
        Row("sqrt", S(new[] { 4 }), (b, x) => Op(b, "sqrt", x[0]), 0.3, 3),
        Row("rsqrt", S(new[] { 4 }), (b, x) => Op(b, "rsqrt", x[0]), 0.3, 3),
        Row("reciprocal", S(new[] { 4 }), (b, x) => Op(b, "reciprocal", x[0]), 0.3, 3),
        Row("sigmoid", S(new[] { 2, 3 }), (b, x) => Op(b, "sigmoid", x[0]), -6, 6),
        Row("softplus_large_arguments", S(new[] { 2, 3 }), (b, x) => Op(b, "softplus", x[0]), -25, 25),
        Row("tanh", S(new[] { 2, 3 }), (b, x) => Op(b, "tanh", x[0]), -3, 3),
        Row("relu_grad", S(new[] { 2, 3 }, new[] { 2, 3 }), (b, x) => Op(b, "relu_grad", x[0], x[1]), wrt: new[] { 0 }),
        Row("erf", S(new[] { 6 }), (b, x) => Op(b, "erf", x[0]), -3, 3),
        Row("pow_broadcast", S(new[] { 3, 2 }, new[] { 2 }), (b, x) => Op(b, "pow", x[0], x[1]), 0.3, 2),
        Row("maximum_broadcast", S(new[] { 3, 4 }, new[] { 4 }), (b, x) => Op(b, "maximum", x[0], x[1])),
        Row("minimum_broadcast", S(new[] { 1, 4 }, new[] { 3, 1 }), (b, x) => Op(b, "minimum", x[0], x[1])),
        Row("where", S(new[] { 3, 4 }, new[] { 4 }, new[] { 3, 4 }),
            (b, x) => Op(b, "where", Op(b, "greater", x[1], b.Scalar(0, DType.Float64)), x[0], x[2]), wrt: new[] { 0, 2 }),
        Row("where_scalar_branch", S(new[] { 5 }, Array.Empty<int>()),
            (b, x) => Op(b, "where", Op(b, "less", x[0], b.Scalar(0.5, DType.Float64)), x[0], x[1])),
        Row("cast_float_to_float", S(new[] { 3 }), (b, x) => b.Apply("cast", new[] { x[0] }, Cast.To(DType.Float64, DType.Float64))),
        Row("dropout_inference", S(new[] { 2, 5 }), (b, x) => b.Apply("dropout", new[] { x[0] }, Dropout.Of(0.5, 7))),
        // reductions
        Row("reduce_max_axis1", S(new[] { 3, 4 }), (b, x) => b.Apply("reduce_max", x, Reduce(new[] { 1 }, false))),
        Row("reduce_max_all", S(new[] { 2, 3 }), (b, x) => b.Apply("reduce_max", x, Reduce(new[] { 0, 1 }, false))),
        Row("reduce_min_axis0_keepdims", S(new[] { 3, 4 }), (b, x) => b.Apply("reduce_min", x, Reduce(new[] { 0 }, true))),
        Row("reduce_prod_axis1", S(new[] { 3, 4 }), (b, x) => b.Apply("reduce_prod", x, Reduce(new[] { 1 }, false)), 0.5, 1.5),
        Row("reduce_prod_noncontiguous", S(new[] { 2, 3, 2 }), (b, x) => b.Apply("reduce_prod", x, Reduce(new[] { 0, 2 }, true))),
        Row("reduce_logsumexp", S(new[] { 3, 4 }), (b, x) => MathComposites.ReduceLogSumExp(b, x[0], new[] { 1 }, false)),
        Row("reduce_logsumexp_keepdims", S(new[] { 3, 4 }), (b, x) => MathComposites.ReduceLogSumExp(b, x[0], new[] { 0 }, true)),
        Row("moments_mean", S(new[] { 3, 4 }), (b, x) => MathComposites.Moments(b, x[0], new[] { 0 }, false).Mean),
        Row("moments_variance", S(new[] { 3, 4 }), (b, x) => MathComposites.Moments(b, x[0], new[] { 0, 1 }, false).Variance),
        Row("reduce_variance_keepdims", S(new[] { 2, 5 }), (b, x) => MathComposites.ReduceVariance(b, x[0], new[] { 1 }, true)),
        // activations
        Row("relu", S(new[] { 3, 4 }), (b, x) => MathComposites.Relu(b, x[0])),
        Row("relu6", S(new[] { 10 }), (b, x) => MathComposites.Relu6(b, x[0]), -3, 9),
        Row("leaky_relu", S(new[] { 8 }), (b, x) => MathComposites.LeakyRelu(b, x[0], 0.2)),
        Row("elu", S(new[] { 8 }), (b, x) => MathComposites.Elu(b, x[0])),
        Row("selu", S(new[] { 8 }), (b, x) => MathComposites.Selu(b, x[0])),
        Row("gelu_exact", S(new[] { 8 }), (b, x) => MathComposites.Gelu(b, x[0], approximate: false), -4, 4),
        Row("gelu_tanh", S(new[] { 8 }), (b, x) => MathComposites.Gelu(b, x[0], approximate: true), -4, 4),
        Row("softplus", S(new[] { 8 }), (b, x) => MathComposites.Softplus(b, x[0]), -5, 5),
        Row("softsign", S(new[] { 8 }), (b, x) => MathComposites.Softsign(b, x[0])),
        Row("swish", S(new[] { 8 }), (b, x) => MathComposites.Swish(b, x[0]), -5, 5),
        Row("softmax_last_axis", S(new[] { 3, 4 }), (b, x) => MathComposites.Softmax(b, x[0], -1)),
        Row("softmax_axis0", S(new[] { 3, 4 }), (b, x) => MathComposites.Softmax(b, x[0], 0)),
        Row("log_softmax", S(new[] { 2, 5 }), (b, x) => MathComposites.LogSoftmax(b, x[0], 1)),
        // losses
        Row("mean_squared_error", S(new[] { 3, 2 }, new[] { 3, 2 }), (b, x) => MathComposites.MeanSquaredError(b, x[0], x[1])),
        Row("softmax_cross_entropy", S(new[] { 3, 4 }, new[] { 3, 4 }), (b, x) => MathComposites.SoftmaxCrossEntropyWithLogits(b, x[0], x[1], -1), 0, 2),
        Row("sparse_softmax_cross_entropy", S(new[] { 3, 4 }),
            (b, x) => MathComposites.SparseSoftmaxCrossEntropyWithLogits(b, b.Constant(new double[] { 2, 0, 3 }, Shape.Of(3), DType.Int64), x[0])),
        Row("sigmoid_cross_entropy", S(new[] { 2, 3 }, new[] { 2, 3 }), (b, x) => MathComposites.SigmoidCrossEntropyWithLogits(b, x[0], x[1]), -3, 3),
        Row("l2_loss", S(new[] { 2, 3 }), (b, x) => MathComposites.L2Loss(b, x[0])),
        Row("masked_mean", S(new[] { 2, 3 }),
            (b, x) => MathComposites.MaskedMean(b, x[0], b.Constant(new double[] { 1, 0, 1 }, Shape.Of(3), DType.Bool))),
        // gradients and clipping
        Row("clip_by_value", S(new[] { 12 }), (b, x) => MathComposites.ClipByValue(b, x[0], b.Scalar(-1, DType.Float64), b.Scalar(1, DType.Float64)), -3, 3),
        Row("clip_by_norm_rows", S(new[] { 3, 4 }), (b, x) => MathComposites.ClipByNorm(b, x[0], b.Scalar(1.5, DType.Float64), new[] { 1 })),
        Row("clip_by_global_norm", S(new[] { 2 }, new[] { 3, 2 }),
            (b, x) =>
            {
                var (clipped, norm) = MathComposites.ClipByGlobalNorm(b, x, b.Scalar(1, DType.Float64));
                return b.Add(b.Add(clipped[0], MathComposites.Reduce(b, "reduce_sum", clipped[1], new[] { 0 }, false)), norm);
            }),
        Row("gradients_second_order", S(new[] { 4 }),
            (b, x) => MathComposites.Gradients(b, new[] { MathComposites.Reduce(b, "reduce_sum", b.Mul(x[0], b.Mul(x[0], Op(b, "exp", x[0]))), new[] { 0 }, false) }, x, null)[0]),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name) => OpTableTests.CheckGradient(Cases.Single(k => k.Name == name));
}
