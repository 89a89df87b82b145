namespace GraphCompiler.Runtime.Data;

/// <summary>TensorFlow's buffered shuffle; see <see cref="Dataset{T}.Shuffle"/>.</summary>
internal sealed class ShuffleDataset<T>(Dataset<T> source, int bufferSize, ulong seed, bool reshuffleEachIteration) : Dataset<T>
{
    private long _passes;

    public override IEnumerator<T> GetEnumerator()
    {
        // Counting passes at GetEnumerator keeps the order a function of (seed, pass number) only.
        long pass = reshuffleEachIteration ? Interlocked.Increment(ref _passes) - 1 : 0;
        return Iterate(ShuffleRandom.ForPass(seed, pass)).GetEnumerator();
    }

    private IEnumerable<T> Iterate(ShuffleRandom random)
    {
        var buffer = new T[bufferSize];
        int count = 0;
        using var input = source.GetEnumerator();
        bool exhausted = false;
        while (count < bufferSize)
        {
            if (!input.MoveNext())
            {
                exhausted = true;
                break;
            }
            buffer[count++] = input.Current;
        }
        while (count > 0)
        {
            int slot = random.NextInt(count);
            yield return buffer[slot];
            // Refill after yielding so that a consumer that stops here pulls nothing more from the source.
            if (!exhausted && input.MoveNext())
            {
                buffer[slot] = input.Current;
            }
            else
            {
                exhausted = true;
                buffer[slot] = buffer[--count];
                buffer[count] = default!;
            }
        }
    }
}
