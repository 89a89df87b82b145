namespace GraphCompiler;

/// <summary>Sampled losses for large output vocabularies (word2vec's skip-gram).</summary>
public static partial class Ops
{
    /// <summary>
    /// <c>tf.nn.nce_loss</c>: noise-contrastive estimation, one loss per example ([batch]).
    /// Each step draws S = <paramref name="numSampled"/> distinct classes with TensorFlow's
    /// log-uniform sampler over <paramref name="numClasses"/> ids sorted by descending frequency,
    /// P(k) = log((k + 2)/(k + 1)) / log(numClasses + 1), shared by the batch and drawn from the
    /// counter-based stream of (model seed, op <paramref name="seed"/>, global step). With
    /// Q(k) = 1 − (1 − P(k))^tries the expected count (P(k)·S when no draw repeated):
    /// <code>
    /// true[b, t]    = inputs[b] · weights[labels[b, t]] + biases[labels[b, t]] − log Q(labels[b, t])
    /// sampled[b, s] = inputs[b] · weights[sampled[s]]   + biases[sampled[s]]   − log Q(sampled[s])
    /// loss[b] = Σₜ xent(1/numTrue, true[b, t]) + Σₛ xent(0, sampled[b, s]),  xent = sigmoid cross-entropy
    /// </code>
    /// With <paramref name="removeAccidentalHits"/>, a sampled class equal to one of the example's
    /// labels gets −FLT_MAX added to its logit (no loss, no gradient), as TensorFlow.
    /// Shapes: weights [classes, dim], biases [classes], labels int [batch, numTrue], inputs [batch, dim].
    /// Gradient: d/d inputs as the logistic loss's; d/d weights and d/d biases are sparse rows at the
    /// labels and the sampled ids (gradient descent updates only those rows); none to labels.
    /// </summary>
    public static Tensor NceLoss(Tensor weights, Tensor biases, Tensor labels, Tensor inputs, int numSampled, int numClasses, int numTrue = 1, bool removeAccidentalHits = false, int? seed = null) =>
        throw BuildTime.Only("Ops.NceLoss");

    /// <summary>
    /// word2vec's negative-sampling loss, one per example ([batch]):
    /// <code>loss[b] = −log σ(inputs[b] · weights[labels[b]]) − Σₖ log σ(−inputs[b] · weights[negatives[b, k]])</code>
    /// The negatives [batch, k] are drawn by the caller from word2vec's unigram^0.75 noise distribution
    /// (<c>GraphCompiler.Runtime.Text.NegativeSampler</c>) and fed as an int input: the noise table is
    /// data of the corpus, not of the graph, and word2vec draws per pair, not per batch. No expected-count
    /// correction and no biases, as word2vec. Shapes: weights [classes, dim], labels int [batch],
    /// negatives int [batch, k], inputs [batch, dim]. Gradient, with σ the logistic function:
    /// d/d inputs[b] = (σ(u·v) − 1)·v + Σₖ σ(u·nₖ)·nₖ; the weights get sparse rows (σ(u·v) − 1)·u at the
    /// labels and σ(u·nₖ)·u at the negatives; none to the ids.
    /// <para>
    /// Grouped form, noise words shared by the examples of a group (the window-shared negatives of
    /// Ji et al. 2016, and TensorFlow's <c>nce_loss</c> sharing its sample across the batch): labels
    /// int [groups, size], negatives int [groups, k], inputs [groups, size, dim]; the loss is
    /// [groups, size]. Every example still meets k noise words, but a group reads, and writes back,
    /// each noise row once, and its noise logits are one small product inputs[g] · weights[negatives[g]]ᵀ.
    /// </para>
    /// </summary>
    public static Tensor NegativeSamplingLoss(Tensor weights, Tensor labels, Tensor negatives, Tensor inputs) =>
        throw BuildTime.Only("Ops.NegativeSamplingLoss");
}
