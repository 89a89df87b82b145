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
        : base(Format(what, filePath, line, reason), innerException)
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

    /// <summary>
    /// The one-line form <c>what (file:line): reason</c> with the parts that are known: no parentheses without a
    /// file, no <c>:line</c> without a line, and no <c>: reason</c> when it is empty.
    /// </summary>
    public static string Format(string what, string? filePath, long? line, string reason)
    {
        string where = filePath is null ? "" : line is { } l ? $" ({filePath}:{l})" : $" ({filePath})";
        return reason.Length == 0 ? what + where : $"{what}{where}: {reason}";
    }
}
