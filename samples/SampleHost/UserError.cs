using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Samples;

/// <summary>
/// A failure the user can act on, printed as one line <c>error: &lt;what&gt; (&lt;file&gt;[:line]): &lt;why&gt;</c>
/// without a stack trace, and ending the program with <see cref="ExitCode"/>.
/// </summary>
public sealed class UserError : Exception
{
    /// <summary>Creates the error; <paramref name="file"/> and <paramref name="line"/> are left out of the line when null.</summary>
    public UserError(string what, string why, string? file = null, long? line = null, int exitCode = ExitCodes.BadInput, Exception? innerException = null)
        : base(Format(what, file, line, why), innerException)
    {
        What = what;
        Why = why;
        FilePath = file;
        Line = line;
        ExitCode = exitCode;
    }

    /// <summary>What could not be used or done ("corpus", "log directory", "the loss diverged at step 1200").</summary>
    public string What { get; }

    /// <summary>Why, in words that say what to change.</summary>
    public string Why { get; }

    /// <summary>The file involved, when there is one.</summary>
    public string? FilePath { get; }

    /// <summary>The 1-based line of <see cref="FilePath"/>, when the problem is on one line.</summary>
    public long? Line { get; }

    /// <summary>The process exit code (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }

    /// <summary>The one-line form <c>what (file:line): why</c>, as the runtime's <see cref="InputFileException"/> writes it.</summary>
    public static string Format(string what, string? file, long? line, string why) => InputFileException.Format(what, file, line, why);
}
