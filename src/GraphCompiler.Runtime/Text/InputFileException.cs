namespace GraphCompiler.Runtime.Text;

/// <summary>
/// A text input file that cannot be used: a corpus that is not UTF-8 text or whose gzip stream is
/// truncated or corrupt, an evaluation set with a malformed line. Its parts let a program print one
/// line <c>&lt;what&gt; (&lt;file&gt;[:line]): &lt;why&gt;</c>, which is also <see cref="Exception.Message"/>.
/// </summary>
public sealed class InputFileException : Exception
{
    /// <summary>Creates the exception; <paramref name="line"/> is null when the problem is not on one line.</summary>
    public InputFileException(string what, string filePath, long? line, string reason, Exception? innerException = null)
        : base($"{what} ({filePath}{(line is { } l ? ":" + l : "")}): {reason}", innerException)
    {
        What = what;
        FilePath = filePath;
        Line = line;
        Reason = reason;
    }

    /// <summary>What kind of file it is ("corpus", "analogy file", "word-similarity file").</summary>
    public string What { get; }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line the problem is on, when it is on one.</summary>
    public long? Line { get; }

    /// <summary>Why the file cannot be used.</summary>
    public string Reason { get; }
}
