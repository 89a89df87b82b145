using GraphCompiler.Runtime.Summaries;

namespace Word2Vec;

/// <summary>
/// The Hogwild replicas' summaries through one writer: each replica writes on the multiples of
/// <c>SummaryEvery</c> it happens to take from the shared step counter, and a point that arrives after
/// a later one of its tag (a slower thread) is dropped, as TensorBoard wants steps in order.
/// </summary>
public sealed class InOrderSummaries(ISummarySink sink) : ISummarySink
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);

    public void Scalar(string tag, float value, long step)
    {
        lock (_last) if (InOrder(tag, step)) sink.Scalar(tag, value, step);
    }

    public void Histogram(string tag, ReadOnlySpan<float> values, long step)
    {
        lock (_last) if (InOrder(tag, step)) sink.Histogram(tag, values, step);
    }

    public void Image(string tag, ReadOnlySpan<float> pixels, ReadOnlySpan<int> shape, long step)
    {
        lock (_last) if (InOrder(tag, step)) sink.Image(tag, pixels, shape, step);
    }

    public void Text(string tag, string text, long step)
    {
        lock (_last) if (InOrder(tag, step)) sink.Text(tag, text, step);
    }

    private bool InOrder(string tag, long step)
    {
        if (_last.TryGetValue(tag, out long last) && step < last) return false;
        _last[tag] = step;
        return true;
    }
}
