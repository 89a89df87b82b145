using GraphCompiler.Runtime;
using GraphCompiler.Samples;

namespace CountVectors;

/// <summary>One batch of nonzero co-occurrence entries as the GloVe step takes them.</summary>
public sealed class EntryBatch(int size)
{
    public int[] Rows { get; } = new int[size];
    public int[] Columns { get; } = new int[size];
    public float[] LogCounts { get; } = new float[size];
    public float[] Weights { get; } = new float[size];
}

/// <summary>
/// The compiled GloVe model seen through one shape: its Adagrad train step, its
/// replicas for Hogwild threads, and the word vectors it ends with. As a <see cref="FitModelView{TBatch}"/> of
/// <see cref="EntryBatch"/> it runs the runtime's smoke test (<c>--smoke</c>).
/// </summary>
public sealed class GloVe : FitModelView<EntryBatch>
{
    private readonly Func<EntryBatch, float, float> _step;
    private readonly Func<EntryBatch, float> _loss;
    private readonly Func<GloVe> _replica;

    // GloVeModel's optimizer (GloVeModels.cs).
    private GloVe(IModel model, int dim, Func<EntryBatch, float, float> step, Func<EntryBatch, float> loss, Func<GloVe> replica)
        : base(model, "adagrad")
    {
        Dim = dim;
        _step = step;
        _loss = loss;
        _replica = replica;
    }

    /// <summary>Vector width.</summary>
    public int Dim { get; }

    /// <summary>One Adagrad step on a batch; returns the batch's loss (a sum over its entries).</summary>
    public float Step(EntryBatch batch, float learningRate) => _step(batch, learningRate);

    /// <summary>A replica sharing these variables (slots included), with its own scratch memory, for another thread.</summary>
    public GloVe Replica() => _replica();

    /// <inheritdoc/>
    public override float TrainOn(EntryBatch batch, float learningRate) => Step(batch, learningRate);

    /// <inheritdoc/>
    public override float LossOn(EntryBatch batch) => _loss(batch);

    /// <inheritdoc/>
    public override int BatchSize(EntryBatch batch) => batch.Rows.Length;

    /// <summary>GloVe's final vectors, word + context (W + C̃), for the first <paramref name="rows"/> ids, row-major.</summary>
    public float[] Vectors(int rows)
    {
        var word = ((Variable<float>)Model.AllVariables["glove/word"]).Data;
        var context = ((Variable<float>)Model.AllVariables["glove/context"]).Data;
        var sum = new float[rows * Dim];
        for (int i = 0; i < sum.Length; i++) sum[i] = word[i] + context[i];
        return sum;
    }

    /// <summary>The compiled model with tables of <paramref name="vocabulary"/> rows and width <paramref name="dim"/>.</summary>
    public static GloVe Create(int vocabulary, int dim, int seed) =>
        Wrap(new GloVeModel(vocab: vocabulary, dim: dim, seed: (ulong)seed), dim, m => new GloVeModel(shareVariablesWith: m),
            (m, b, lr) => m.TrainStep(b.Rows, b.Columns, b.LogCounts, b.Weights, lr), (m, b) => m.Loss(b.Rows, b.Columns, b.LogCounts, b.Weights));

    private static GloVe Wrap<TModel>(TModel model, int dim, Func<TModel, TModel> replica, Func<TModel, EntryBatch, float, float> step, Func<TModel, EntryBatch, float> loss)
        where TModel : IModel =>
        new(model, dim, (b, lr) => step(model, b, lr), b => loss(model, b), () => Wrap(replica(model), dim, replica, step, loss));
}
