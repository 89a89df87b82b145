using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Random;

namespace GraphCompiler.Compiler.Ops.Composites;

/// <summary>
/// Sampled losses for large output vocabularies (word2vec): <c>tf.nn.nce_loss</c> over a log-uniform
/// candidate sample, and word2vec's negative-sampling loss over host-drawn negatives. Built from
/// primitives, so their gradients come for free: the weight and bias gradients reach the tables
/// through gather as sparse rows, and the candidate ids carry none.
/// </summary>
public static class Sampling
{
    /// <summary>
    /// What TensorFlow adds to the logit of a sampled class that equals one of the example's true
    /// labels (an accidental hit): −FLT_MAX, so its logistic loss and gradient vanish.
    /// </summary>
    public const double AccidentalHitLogit = -3.4028234663852886e38;

    /// <summary>
    /// <c>tf.nn.nce_loss</c> with TensorFlow's semantics, per example [batch]: with S =
    /// <paramref name="numSampled"/> distinct candidates drawn log-uniformly over
    /// <paramref name="numClasses"/> frequency-sorted ids (one sample per step, shared by the batch),
    /// true logits Σ(x·w[label]) + b[label] − log Q(label) and sampled logits x·w[s]ᵀ + b[s] − log Q(s)
    /// with Q the expected count of the sampler (p·S when no draw repeated, else 1 − (1 − p)^tries),
    /// accidental hits pushed to −FLT_MAX when asked, and the loss the sum over the true (label
    /// 1/numTrue) and sampled (label 0) logits of the sigmoid cross-entropy. <paramref name="numClasses"/> may
    /// be a dimension hyperparameter when it is the weights' row count: the sampler then reads it at run time.
    /// </summary>
    public static Node NceLoss(GraphBuilder g, Node weights, Node biases, Node labels, Node inputs, int numSampled, Dim numClasses, int numTrue, bool removeAccidentalHits, long? seed)
    {
        using var scope = g.NameScope("nce_loss");
        const string op = "nce_loss";
        MathComposites.RequireFloat(inputs, op);
        var dt = inputs.DType;
        if (weights.Shape.Rank != 2 || weights.DType != dt)
            throw new ShapeException($"{op}: weights must be a [classes, dim] matrix of {dt.ShortName()}, got {weights.DType.ShortName()}{weights.Shape}");
        if (inputs.Shape.Rank != 2 || !inputs.Shape[1].Equals(weights.Shape[1]))
            throw new ShapeException($"{op}: inputs must be [batch, dim] with dim = {weights.Shape[1]} (the weights' second axis), got {inputs.Shape}");
        if (biases.Shape.Rank != 1 || !biases.Shape[0].Equals(weights.Shape[0]) || biases.DType != dt)
            throw new ShapeException($"{op}: biases must be [{weights.Shape[0]}] of {dt.ShortName()} (one per class), got {biases.DType.ShortName()}{biases.Shape}");
        if (numTrue < 1) throw new ShapeException($"{op}: numTrue must be at least 1, got {numTrue}");
        if (!labels.DType.IsInteger() || labels.Shape.Rank != 2 || !labels.Shape[0].Equals(inputs.Shape[0]) || !labels.Shape[1].Equals(Dim.Of(numTrue)))
            throw new ShapeException($"{op}: labels must be int32/int64 [batch, numTrue] = [{inputs.Shape[0]}, {numTrue}], got {labels.DType.ShortName()}{labels.Shape}");
        if (!numClasses.IsStatic && numClasses != weights.Shape[0])
            throw new ShapeException($"{op}: a hyperparameter numClasses must be the weights' row count, got {numClasses} for weights {weights.Shape}");
        if (numClasses.IsStatic && (numClasses.Size < 1 || (weights.Shape[0].IsStatic && numClasses.Size > weights.Shape[0].Size)))
            throw new ShapeException($"{op}: numClasses must be in [1, {weights.Shape[0]}] (the weights' rows), got {numClasses}");
        if (numSampled < 1 || (numClasses.IsStatic && numSampled > numClasses.Size))
            throw new ShapeException($"{op}: numSampled must be in [1, numClasses = {numClasses}] for a unique sample, got {numSampled}");

        long opSeed = seed ?? unchecked((long)PhiloxKey.Mix(LogUniformCandidates.Domain + (ulong)g.Nodes.Count(n => n.OpName == "candidate_sampler") + 1));
        var attrs = CandidateSamplerBase.Of(numSampled, numClasses, opSeed);
        var sampled = g.Apply("candidate_sampler", Array.Empty<Node>(), attrs);
        var tries = Cast.Apply(g, g.Apply("candidate_sampler_tries", Array.Empty<Node>(), attrs), dt);
        var trueIds = Cast.Apply(g, labels, DType.Int32);

        // True logits [batch, numTrue]: row-wise dot products with the label rows (one gathered-dot kernel).
        var trueDot = g.Apply("gather_dot", new[] { weights, trueIds, inputs });
        var trueBias = g.Apply("gather", new[] { biases, trueIds }, Attrs.Of(("axis", 0)));
        var trueLogits = g.Sub(g.Add(trueDot, trueBias), LogExpectedCount(g, trueIds, tries, numSampled, numClasses, biases));

        // Sampled logits [batch, numSampled]: one matmul against the sampled rows.
        var sampledWeights = g.Apply("gather", new[] { weights, sampled }, Attrs.Of(("axis", 0)));
        var sampledBias = g.Apply("gather", new[] { biases, sampled }, Attrs.Of(("axis", 0)));
        var sampledDot = g.Apply("matmul", new[] { inputs, sampledWeights }, MatMul.Flags(false, true));
        var sampledLogits = g.Sub(g.Add(sampledDot, sampledBias), LogExpectedCount(g, sampled, tries, numSampled, numClasses, biases));

        if (removeAccidentalHits)
        {
            // hit[b, s] = any over t of labels[b, t] == sampled[s]: compare [batch, numTrue, 1] with [numSampled].
            var equal = g.Apply("equal", new[] { Shapes.ExpandDims(g, trueIds, 2), sampled });
            var hit = MathComposites.Reduce(g, "reduce_max", Cast.Apply(g, equal, dt), new[] { 1 }, keepDims: false);
            var penalty = MathOpSupport.Where(g, g.Apply("greater", new[] { hit, g.Scalar(0, dt) }), g.Scalar(AccidentalHitLogit, dt), g.Scalar(0, dt));
            sampledLogits = g.Add(sampledLogits, penalty);
        }

        var trueLoss = MathComposites.Reduce(g, "reduce_sum", LogisticLoss(g, trueLogits, 1.0 / numTrue), new[] { 1 }, keepDims: false);
        var sampledLoss = MathComposites.Reduce(g, "reduce_sum", LogisticLoss(g, sampledLogits, 0), new[] { 1 }, keepDims: false);
        return g.Add(trueLoss, sampledLoss);
    }

    /// <summary>
    /// word2vec's negative-sampling loss per example [batch]: −log σ(x·w[label]) − Σₖ log σ(−x·w[negativesₖ]),
    /// with <paramref name="negatives"/> [batch, k] drawn by the caller from the unigram^0.75 noise
    /// distribution and no expected-count correction (as word2vec's C code; there are no biases).
    /// Grouped: inputs [groups, size, dim], labels [groups, size] and negatives [groups, k] shared by a
    /// group's examples; the loss is [groups, size].
    /// </summary>
    public static Node NegativeSamplingLoss(GraphBuilder g, Node weights, Node labels, Node negatives, Node inputs)
    {
        using var scope = g.NameScope("negative_sampling_loss");
        const string op = "negative_sampling_loss";
        MathComposites.RequireFloat(inputs, op);
        if (weights.Shape.Rank != 2 || weights.DType != inputs.DType)
            throw new ShapeException($"{op}: weights must be a [classes, dim] matrix of {inputs.DType.ShortName()}, got {weights.DType.ShortName()}{weights.Shape}");
        bool grouped = inputs.Shape.Rank == 3;
        string batch = grouped ? $"{inputs.Shape[0]}, {inputs.Shape[1]}" : $"{inputs.Shape[0]}";
        if ((inputs.Shape.Rank != 2 && !grouped) || !inputs.Shape[inputs.Shape.Rank - 1].Equals(weights.Shape[1]))
            throw new ShapeException($"{op}: inputs must be [batch, dim], or [groups, size, dim] for noise words shared by groups, with dim = {weights.Shape[1]} (the weights' second axis), got {inputs.Shape}");
        if (!labels.DType.IsInteger() || labels.Shape.Rank != inputs.Shape.Rank - 1 || labels.Shape.Select((d, i) => d.Equals(inputs.Shape[i])).Any(same => !same))
            throw new ShapeException($"{op}: labels must be int32/int64 [{batch}] (one per example), got {labels.DType.ShortName()}{labels.Shape}");
        if (!negatives.DType.IsInteger() || negatives.Shape.Rank != 2 || !negatives.Shape[0].Equals(inputs.Shape[0]))
            throw new ShapeException(grouped
                ? $"{op}: negatives must be int32/int64 [groups, k] with groups = {inputs.Shape[0]} (one draw shared by each group), got {negatives.DType.ShortName()}{negatives.Shape}"
                : $"{op}: negatives must be int32/int64 [batch, k] with batch = {inputs.Shape[0]}, got {negatives.DType.ShortName()}{negatives.Shape}");

        var positiveLogit = g.Apply("gather_dot", new[] { weights, labels, inputs });
        // Per example, gathered dot products (the [batch, k, dim] block of noise rows is never
        // materialised); per group, one small product against the group's k noise rows, read once.
        var noiseLogits = grouped
            ? g.Apply("matmul", new[] { inputs, g.Apply("gather", new[] { weights, negatives }, Attrs.Of(("axis", 0))) }, MatMul.Flags(false, true))
            : g.Apply("gather_dot", new[] { weights, negatives, inputs });
        // −log σ(z) = softplus(−z); −log σ(−z) = softplus(z).
        var noiseLoss = MathComposites.Reduce(g, "reduce_sum", MathComposites.Softplus(g, noiseLogits), new[] { noiseLogits.Shape.Rank - 1 }, keepDims: false);
        return g.Add(MathComposites.Softplus(g, g.Neg(positiveLogit)), noiseLoss);
    }

    /// <summary>
    /// log of the sampler's expected count of each id, as TensorFlow: P(k) = log1p(1/(k + 1)) / log(R + 1);
    /// Q = P·S when the sample took exactly S draws, else −expm1(tries·log1p(−P)) = 1 − exp(tries·log1p(−P)).
    /// The ids and the count are data, not parameters: the result's gradient is stopped. A hyperparameter R is
    /// the biases' element count, read at run time.
    /// </summary>
    private static Node LogExpectedCount(GraphBuilder g, Node ids, Node tries, int numSampled, Dim numClasses, Node biases)
    {
        var dt = biases.DType;
        var k = Cast.Apply(g, ids, dt);
        var one = g.Scalar(1, dt);
        var inverseLogRange = numClasses.IsStatic
            ? g.Scalar(1 / Math.Log(numClasses.Size + 1.0), dt)
            : g.Apply("reciprocal", new[] { g.Apply("log", new[] { g.Add(g.Apply("element_count", new[] { biases }, Attrs.Of(("axes", new[] { 0 }), ("dtype", dt))), one) }) });
        var p = g.Mul(g.Apply("log1p", new[] { g.Apply("reciprocal", new[] { g.Add(k, one) }) }), inverseLogRange);
        var withReplacement = g.Mul(p, g.Scalar(numSampled, dt));
        var unique = g.Sub(one, g.Apply("exp", new[] { g.Mul(tries, g.Apply("log1p", new[] { g.Neg(p) })) }));
        var noRepeat = g.Apply("equal", new[] { tries, g.Scalar(numSampled, dt) });
        var expected = MathOpSupport.Where(g, noRepeat, withReplacement, unique);
        return g.Apply("stop_gradient", new[] { g.Apply("log", new[] { expected }) });
    }

    /// <summary>Sigmoid cross-entropy against a constant label z: max(x, 0) − x·z + log1p(e^(−|x|)).</summary>
    private static Node LogisticLoss(GraphBuilder g, Node logits, double z)
    {
        var softplus = MathComposites.Softplus(g, logits);
        return z == 0 ? softplus : g.Sub(softplus, g.Mul(logits, g.Scalar(z, logits.DType)));
    }
}
