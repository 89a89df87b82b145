using GraphCompiler.Runtime.Data;

namespace CharRnn;

/// <summary>
/// A text cut into consecutive windows of <c>steps</c> characters, each with its targets: the same
/// window one character later (the next character at every position).
/// </summary>
public sealed class Sequences
{
    private readonly int[] _inputs;
    private readonly int[] _targets;
    private readonly int _steps;

    private Sequences(int[] inputs, int[] targets, int steps) => (_inputs, _targets, _steps) = (inputs, targets, steps);

    /// <summary>The number of windows.</summary>
    public int Count => _inputs.Length / _steps;

    public static Sequences From(ReadOnlySpan<int> ids, int steps)
    {
        int count = (ids.Length - 1) / steps;
        return new Sequences(ids[..(count * steps)].ToArray(), ids.Slice(1, count * steps).ToArray(), steps);
    }

    /// <summary>Batches of (inputs, targets), shuffled when a seed is given; a last partial batch is dropped (the sizes are compiled in per step).</summary>
    public Dataset<(Batch<int> First, Batch<int> Second)> Batches(int batch, ulong? shuffleSeed)
    {
        var examples = Dataset.Zip(Dataset.FromTensorSlices(_inputs, [Count, _steps]), Dataset.FromTensorSlices(_targets, [Count, _steps]));
        return (shuffleSeed is ulong seed ? examples.Shuffle(bufferSize: Count, seed: seed) : examples).Batch(batch, dropRemainder: true);
    }
}
