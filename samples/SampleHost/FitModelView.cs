using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Samples;

/// <summary>
/// A sample's view of a generated model fed through its own batch type (Word2Vec's pairs with their noise words,
/// GloVe's co-occurrence entries): the <see cref="IFitModel{TBatch}"/> that the runtime's <c>Fit</c> and smoke test
/// drive, for a model whose loss takes more inputs than the generated adapter does (it takes one or two).
/// </summary>
public abstract class FitModelView<TBatch>(IModel model, string optimizerName) : IFitModel<TBatch>
{
    /// <summary>The generated model (variables, optimizer slots, global step).</summary>
    public IModel Model { get; } = model;

    VariableSet IModel.AllVariables => Model.AllVariables;

    long IModel.GlobalStep { get => Model.GlobalStep; set => Model.GlobalStep = value; }

    ulong IModel.Seed => Model.Seed;

    /// <summary>The optimizer compiled into the model's train step, by the generator's name (<c>gradient_descent</c>, <c>adagrad</c>, …).</summary>
    public string OptimizerName => optimizerName;

    /// <summary>One train step on <paramref name="batch"/>; returns its loss before the update.</summary>
    public abstract float TrainOn(TBatch batch, float learningRate);

    /// <summary>The loss on <paramref name="batch"/>, with no update.</summary>
    public abstract float LossOn(TBatch batch);

    /// <summary>The examples in <paramref name="batch"/>.</summary>
    public abstract int BatchSize(TBatch batch);

    Classified? IFitModel<TBatch>.Classify(TBatch batch) => null;
}
