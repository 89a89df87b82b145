namespace GraphCompiler.Runtime.Summaries;

/// <summary>
/// Where a model's train step writes the summaries declared in its model code
/// (<see cref="SummaryWriter"/> is the TensorBoard one; tests may collect them in memory).
/// </summary>
public interface ISummarySink
{
    void Scalar(string tag, float value, long step);

    void Histogram(string tag, ReadOnlySpan<float> values, long step);

    /// <summary>An image [h, w, c] or a batch [n, h, w, c] of float values in [0, 1].</summary>
    void Image(string tag, ReadOnlySpan<float> pixels, ReadOnlySpan<int> shape, long step);

    void Text(string tag, string text, long step);
}
