namespace GraphCompiler.Runtime.Data;

/// <summary>A dataset whose every pass calls a factory for a fresh sequence; most operators are built on it.</summary>
internal sealed class EnumerableDataset<T>(Func<IEnumerable<T>> factory) : Dataset<T>
{
    public override IEnumerator<T> GetEnumerator()
    {
        var sequence = factory()
            ?? throw new InvalidOperationException($"the sequence factory of a Dataset<{typeof(T).Name}> returned null");
        return sequence.GetEnumerator();
    }
}
