using GraphCompiler.Runtime;

namespace Word2Vec;

/// <summary>Which loss trains the embeddings.</summary>
public enum LossKind
{
    /// <summary>NCE with TensorFlow's log-uniform candidate sampler (the lecture's).</summary>
    Nce,

    /// <summary>word2vec's negative sampling with unigram^0.75 noise.</summary>
    NegativeSampling,
}

/// <summary>
/// One batch of skip-gram pairs and, for negative sampling, their noise words: one draw of
/// <paramref name="negatives"/> words per group of <paramref name="groupSize"/> consecutive pairs.
/// </summary>
public sealed class PairBatch(int size, int negatives, int groupSize = 1)
{
    public int[] Centers { get; } = new int[size];
    public int[] Contexts { get; } = new int[size];
    public int[] Negatives { get; } = new int[size / groupSize * negatives];

    /// <summary>Groups of pairs that share one draw of noise words.</summary>
    public int Groups => size / groupSize;

    /// <summary>Words of the thread's shard read (this epoch) when the batch was complete: the data position after it.</summary>
    public long WordsRead { get; set; }
}

/// <summary>
/// A compiled skip-gram model seen through one shape, whichever class (loss, width) it is: its
/// train step, its replicas for Hogwild threads and its embedding table.
/// </summary>
public sealed class SkipGram
{
    /// <summary>The widths that have a compiled model class.</summary>
    public static readonly int[] Dimensions = [64, 128, 200];

    private readonly Func<PairBatch, float, float> _step;
    private readonly Func<SkipGram> _replica;

    private SkipGram(IModel model, Func<PairBatch, float, float> step, Func<SkipGram> replica)
    {
        Model = model;
        _step = step;
        _replica = replica;
    }

    /// <summary>The generated model (variables, global step, seed, summaries).</summary>
    public IModel Model { get; }

    /// <summary>The embedding table [vocabulary, dim], row-major, shared with every replica.</summary>
    public Variable<float> EmbedMatrix => (Variable<float>)Model.AllVariables["embed/embed_matrix"];

    /// <summary>One SGD step on a batch; returns the batch's mean loss. Advances the global step by one.</summary>
    public float Step(PairBatch batch, float learningRate) => _step(batch, learningRate);

    /// <summary>A replica sharing these variables, with its own scratch memory, for another thread.</summary>
    public SkipGram Replica() => _replica();

    /// <summary>The compiled model for <paramref name="dim"/> and <paramref name="loss"/>.</summary>
    public static SkipGram Create(int dim, LossKind loss, int seed, GraphCompiler.Runtime.Devices.Device? device = null) => (dim, loss) switch
    {
            (64, LossKind.Nce) => Wrap(new SkipGramNce64((ulong)seed, device ?? GraphCompiler.Runtime.Devices.Device.Cpu), m => new SkipGramNce64(shareVariablesWith: m), (m, b, lr) => m.TrainStep(b.Centers, b.Contexts, lr)),
            (64, LossKind.NegativeSampling) => Wrap(new SkipGramNegative64((ulong)seed, device ?? GraphCompiler.Runtime.Devices.Device.Cpu), m => new SkipGramNegative64(shareVariablesWith: m), (m, b, lr) => m.TrainStep(b.Centers, b.Contexts, b.Negatives, b.Groups, lr)),
            (128, LossKind.Nce) => Wrap(new SkipGramNce128((ulong)seed, device ?? GraphCompiler.Runtime.Devices.Device.Cpu), m => new SkipGramNce128(shareVariablesWith: m), (m, b, lr) => m.TrainStep(b.Centers, b.Contexts, lr)),
            (128, LossKind.NegativeSampling) => Wrap(new SkipGramNegative128((ulong)seed, device ?? GraphCompiler.Runtime.Devices.Device.Cpu), m => new SkipGramNegative128(shareVariablesWith: m), (m, b, lr) => m.TrainStep(b.Centers, b.Contexts, b.Negatives, b.Groups, lr)),
            (200, LossKind.Nce) => Wrap(new SkipGramNce200((ulong)seed, device ?? GraphCompiler.Runtime.Devices.Device.Cpu), m => new SkipGramNce200(shareVariablesWith: m), (m, b, lr) => m.TrainStep(b.Centers, b.Contexts, lr)),
            (200, LossKind.NegativeSampling) => Wrap(new SkipGramNegative200((ulong)seed, device ?? GraphCompiler.Runtime.Devices.Device.Cpu), m => new SkipGramNegative200(shareVariablesWith: m), (m, b, lr) => m.TrainStep(b.Centers, b.Contexts, b.Negatives, b.Groups, lr)),
        _ => throw new ArgumentException($"--dim {dim} has no compiled model: the width is a compile-time constant of the graph; choose one of {string.Join(", ", Dimensions)} (or add a model class in SkipGramModels.cs)"),
    };

    private static SkipGram Wrap<TModel>(TModel model, Func<TModel, TModel> replica, Func<TModel, PairBatch, float, float> step)
        where TModel : IModel =>
        new(model, (b, lr) => step(model, b, lr), () => Wrap(replica(model), replica, step));
}
