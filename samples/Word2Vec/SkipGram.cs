using GraphCompiler.Runtime;
using GraphCompiler.Samples;

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
/// A compiled skip-gram model seen through one shape, whichever class (loss) it is: its
/// train step, its replicas for Hogwild threads and its embedding table. As a <see cref="FitModelView{TBatch}"/>
/// of <see cref="PairBatch"/> it runs the runtime's smoke test (<c>--smoke</c>).
/// </summary>
public sealed class SkipGram : FitModelView<PairBatch>
{
    private readonly Func<PairBatch, float, float> _step;
    private readonly Func<PairBatch, float> _loss;
    private readonly Func<SkipGram> _replica;

    // Both model classes compile the same optimizer (SkipGramModels.cs).
    private SkipGram(IModel model, Func<PairBatch, float, float> step, Func<PairBatch, float> loss, Func<SkipGram> replica)
        : base(model, "gradient_descent")
    {
        _step = step;
        _loss = loss;
        _replica = replica;
    }

    /// <summary>The embedding table [vocabulary, dim], row-major, shared with every replica.</summary>
    public Variable<float> EmbedMatrix => (Variable<float>)Model.AllVariables["embed/embed_matrix"];

    /// <summary>One SGD step on a batch; returns the batch's mean loss. Advances the global step by one.</summary>
    public float Step(PairBatch batch, float learningRate) => _step(batch, learningRate);

    /// <summary>A replica sharing these variables, with its own scratch memory, for another thread.</summary>
    public SkipGram Replica() => _replica();

    /// <inheritdoc/>
    public override float TrainOn(PairBatch batch, float learningRate) => Step(batch, learningRate);

    /// <inheritdoc/>
    public override float LossOn(PairBatch batch) => _loss(batch);

    /// <inheritdoc/>
    public override int BatchSize(PairBatch batch) => batch.Centers.Length;

    /// <summary>The compiled model for <paramref name="loss"/>, with tables of <paramref name="vocabulary"/> rows (NCE: its compiled classes) and width <paramref name="dim"/>.</summary>
    public static SkipGram Create(int vocabulary, int dim, LossKind loss, int seed, GraphCompiler.Runtime.Devices.Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        return loss switch
        {
            LossKind.Nce => Wrap(new SkipGramNce(SkipGramGraph.NceRows(vocabulary), dim, (ulong)seed, device ?? GraphCompiler.Runtime.Devices.Device.Cpu), m => new SkipGramNce(shareVariablesWith: m),
                (m, b, lr) => m.TrainStep(b.Centers, b.Contexts, lr), (m, b) => m.Loss(b.Centers, b.Contexts)),
            _ => Wrap(new SkipGramNegative(vocabulary, dim, (ulong)seed, device ?? GraphCompiler.Runtime.Devices.Device.Cpu), m => new SkipGramNegative(shareVariablesWith: m),
                (m, b, lr) => m.TrainStep(b.Centers, b.Contexts, b.Negatives, b.Groups, lr), (m, b) => m.Loss(b.Centers, b.Contexts, b.Negatives, b.Groups)),
        };
    }

    private static SkipGram Wrap<TModel>(TModel model, Func<TModel, TModel> replica, Func<TModel, PairBatch, float, float> step, Func<TModel, PairBatch, float> loss)
        where TModel : IModel =>
        new(model, (b, lr) => step(model, b, lr), b => loss(model, b), () => Wrap(replica(model), replica, step, loss));
}
