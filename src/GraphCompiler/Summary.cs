namespace GraphCompiler;

/// <summary>
/// TensorBoard summaries in model code (<c>tf.summary.*</c>). Each call adds a summary output to
/// the model's train step — the <c>merge_all</c> of this world. It is computed and written only on
/// steps that write summaries: when the model's <c>SummarySink</c> is set and the global step is a
/// multiple of <c>SummaryEvery</c>. Tags are prefixed with the enclosing name scopes.
/// </summary>
public static class Summary
{
    /// <summary>A scalar (rank-0 tensor) plotted over steps.</summary>
    public static void Scalar(string tag, Tensor value) => throw BuildTime.Only("Summary.Scalar");

    /// <summary>A histogram of all values of a tensor of any shape.</summary>
    public static void Histogram(string tag, Tensor values) => throw BuildTime.Only("Summary.Histogram");

    /// <summary>An image [height, width, channels] or a batch [n, height, width, channels] (the first three are written), values in [0, 1], 1, 3 or 4 channels.</summary>
    public static void Image(string tag, Tensor image) => throw BuildTime.Only("Summary.Image");

    /// <summary>A text known at build time.</summary>
    public static void Text(string tag, string text) => throw BuildTime.Only("Summary.Text");
}
