namespace GraphCompiler.Runtime.Training;

/// <summary>
/// What <see cref="ModelFit.Fit"/>, <see cref="ModelFit.Evaluate"/> and the smoke test need from a model.
/// The generator implements it for every model whose <c>[Loss]</c> method takes one to four batched
/// inputs (rank ≥ 1, their dims bound by the inputs' lengths): the batch is a <see cref="Data.Batch{T}"/>
/// or a tuple <c>(Batch&lt;T1&gt; First, Batch&lt;T2&gt; Second, …)</c> as <c>Dataset.Zip(...).Batch(n)</c> makes.
/// </summary>
/// <typeparam name="TBatch">One batch of the loss's inputs, in their order.</typeparam>
public interface IFitModel<TBatch> : IModel
{
    /// <summary>The generated <c>TrainStep</c> on the batch; returns the loss before the update.</summary>
    float TrainOn(TBatch batch, float learningRate);

    /// <summary>The loss method on the batch, as at inference (dropout off, no update).</summary>
    float LossOn(TBatch batch);

    /// <summary>The examples in the batch (its first input's leading dimension).</summary>
    int BatchSize(TBatch batch);

    /// <summary>The optimizer compiled into the train step (<c>GradientDescent</c>, <c>Adam</c>, …).</summary>
    string OptimizerName { get; }

    /// <summary>
    /// The model's <c>Predict</c> on the batch's features with the batch's Int32 class labels, or null when
    /// the model has no <c>Predict</c> method taking the loss's inputs but the last, or that last input is
    /// not Int32 labels of shape [batch]: what the accuracy metrics compare.
    /// </summary>
    Classified? Classify(TBatch batch);
}

/// <summary>
/// Keras's <c>model.predict</c> over a dataset: the generator implements it for a model with an entry method
/// named <c>Predict</c> that takes the first input(s) of the loss and returns one float tensor.
/// </summary>
/// <typeparam name="TFeatures">One batch of Predict's inputs.</typeparam>
public interface IPredictModel<TFeatures> : IModel
{
    /// <summary>The generated <c>Predict</c> on one batch.</summary>
    NDArray<float> PredictOn(TFeatures features);
}

/// <summary>The model's outputs for one batch, [batch, classes] (logits or probabilities), and its Int32 labels, [batch].</summary>
public readonly record struct Classified(NDArray<float> Outputs, ReadOnlyMemory<int> Labels);
