using GraphCompiler.Runtime;

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
/// A compiled GloVe model seen through one shape, whichever width it has: its Adagrad train step, its
/// replicas for Hogwild threads, and the word vectors it ends with.
/// </summary>
public sealed class GloVe
{
    /// <summary>The widths that have a compiled model class.</summary>
    public static readonly int[] Dimensions = [64, 128];

    private readonly Func<EntryBatch, float, float> _step;
    private readonly Func<GloVe> _replica;

    private GloVe(IModel model, int dim, Func<EntryBatch, float, float> step, Func<GloVe> replica)
    {
        Model = model;
        Dim = dim;
        _step = step;
        _replica = replica;
    }

    /// <summary>The generated model (variables, Adagrad slots, global step).</summary>
    public IModel Model { get; }

    /// <summary>Vector width.</summary>
    public int Dim { get; }

    /// <summary>One Adagrad step on a batch; returns the batch's loss (a sum over its entries).</summary>
    public float Step(EntryBatch batch, float learningRate) => _step(batch, learningRate);

    /// <summary>A replica sharing these variables (slots included), with its own scratch memory, for another thread.</summary>
    public GloVe Replica() => _replica();

    /// <summary>GloVe's final vectors, word + context (W + C̃), for the first <paramref name="rows"/> ids, row-major.</summary>
    public float[] Vectors(int rows)
    {
        var word = ((Variable<float>)Model.AllVariables["glove/word"]).Data;
        var context = ((Variable<float>)Model.AllVariables["glove/context"]).Data;
        var sum = new float[rows * Dim];
        for (int i = 0; i < sum.Length; i++) sum[i] = word[i] + context[i];
        return sum;
    }

    /// <summary>The compiled model for <paramref name="dim"/>.</summary>
    public static GloVe Create(int dim, int seed) => dim switch
    {
        64 => Wrap(new GloVe64((ulong)seed), 64, m => new GloVe64(shareVariablesWith: m), (m, b, lr) => m.TrainStep(b.Rows, b.Columns, b.LogCounts, b.Weights, lr)),
        128 => Wrap(new GloVe128((ulong)seed), 128, m => new GloVe128(shareVariablesWith: m), (m, b, lr) => m.TrainStep(b.Rows, b.Columns, b.LogCounts, b.Weights, lr)),
        _ => throw new ArgumentException($"GloVe has no compiled model of width {dim}: the width is a compile-time constant of the graph; choose one of {string.Join(", ", Dimensions)} (or add a model class in GloVeModels.cs)"),
    };

    private static GloVe Wrap<TModel>(TModel model, int dim, Func<TModel, TModel> replica, Func<TModel, EntryBatch, float, float> step)
        where TModel : IModel =>
        new(model, dim, (b, lr) => step(model, b, lr), () => Wrap(replica(model), dim, replica, step));
}
