namespace GraphCompiler.Samples;

/// <summary>
/// The samples' exit codes: a script can tell a mistake in what it passed (fix the input, 2) from a
/// run that failed on its own (3), a stop it asked for (130, as shells report SIGINT) and a bug (1).
/// </summary>
public static class ExitCodes
{
    /// <summary>The program did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure: a bug, or an environment problem the program does not recognise (it prints a stack trace).</summary>
    public const int InternalError = 1;

    /// <summary>Bad input: the command line, a corpus, an evaluation file, a checkpoint, a log directory.</summary>
    public const int BadInput = 2;

    /// <summary>Training diverged: the loss became NaN or infinite; the last good checkpoint is kept.</summary>
    public const int Diverged = 3;

    /// <summary>
    /// <c>--smoke</c>: the smoke test failed (the loss did not fall while overfitting one batch, or a variable got a
    /// zero or non-finite gradient); its report says which.
    /// </summary>
    public const int SmokeTestFailed = 4;

    /// <summary>Stopped by SIGINT (Ctrl+C) or SIGTERM after saving a checkpoint: 128 + SIGINT, as a shell reports it.</summary>
    public const int Interrupted = 130;
}
