namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>
/// A checkpoint could not be written, read or restored: a corrupt or truncated file, or a file that
/// does not match the model (missing or extra tensors, shape or dtype mismatches). The message names
/// the file and every offending variable.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception for <paramref name="filePath"/> (null when no single file is involved).</summary>
    public CheckpointException(string message, string? filePath = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file the problem was found in, when there is one.</summary>
    public string? FilePath { get; }
}
