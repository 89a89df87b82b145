namespace GraphCompiler.Runtime.Execution;

/// <summary>Checks on what callers feed to generated entry points, with messages that name the input.</summary>
public static class Feed
{
    public static void CheckLength(string input, string shape, int expected, int actual)
    {
        if (expected != actual)
            throw new ArgumentException($"input '{input}' has shape {shape}, which needs {expected} values here, but {actual} were given", input);
    }
}
