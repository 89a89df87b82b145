namespace GraphCompiler.Runtime.Execution;

/// <summary>Checks on what callers feed to generated entry points, with messages that name the input.</summary>
public static class Feed
{
    public static void CheckLength(string input, string shape, int expected, int actual)
    {
        if (expected != actual)
            throw new ArgumentException($"input '{input}' has shape {shape}, which needs {expected} values here, but {actual} were given", input);
    }

    /// <summary>A float32 copy of summary values of another float type (summary steps only).</summary>
    public static ReadOnlySpan<float> ToFloat(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = (float)values[i];
        return result;
    }
}
