namespace GraphCompiler.Runtime.Checkpoints;

/// <summary>
/// A checkpoint could not be written, read or restored: a missing, corrupt or truncated file, a file that
/// does not match the model (missing or extra tensors, shape or dtype mismatches), or variables holding
/// NaN or infinity. The message names the file and every offending variable; <see cref="Kind"/> tells the
/// cases apart without parsing the message.
/// </summary>
public sealed class CheckpointException : Exception
{
    /// <summary>Creates the exception for <paramref name="filePath"/> (null when no single file is involved).</summary>
    public CheckpointException(string message, string? filePath = null, Exception? innerException = null)
        : this(CheckpointErrorKind.Other, message, filePath, innerException)
    {
    }

    /// <summary>Creates the exception of the given <paramref name="kind"/> for <paramref name="filePath"/>.</summary>
    public CheckpointException(CheckpointErrorKind kind, string message, string? filePath = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        FilePath = filePath;
    }

    /// <summary>What went wrong, for callers that react differently (e.g. a distinct exit code for divergence).</summary>
    public CheckpointErrorKind Kind { get; }

    /// <summary>The file the problem was found in (or, for a refused save, the file that was not written), when there is one.</summary>
    public string? FilePath { get; }

    /// <summary>The first tensor the problem concerns (for <see cref="CheckpointErrorKind.NonFinite"/>: the first one holding NaN or infinity), when there is one.</summary>
    public string? TensorName { get; init; }

    /// <summary>
    /// For <see cref="CheckpointErrorKind.NonFinite"/>: the newest checkpoint (prefix form) in the same directory
    /// that holds only finite values, or null when there is none. A training program names it as the one to resume from.
    /// </summary>
    public string? LastGoodCheckpoint { get; init; }

    /// <summary>For <see cref="CheckpointErrorKind.NonFinite"/>: which values are not finite, in words, for messages built on this one.</summary>
    internal string? Finding { get; init; }
}

/// <summary>The kinds of <see cref="CheckpointException"/>.</summary>
public enum CheckpointErrorKind
{
    /// <summary>Anything else, e.g. saver options naming a variable the model does not have.</summary>
    Other,

    /// <summary>The checkpoint file (or the directory) does not exist.</summary>
    NotFound,

    /// <summary>The file exists but could not be read (permissions, a directory in its place, an I/O error).</summary>
    Unreadable,

    /// <summary>A checkpoint could not be written (permissions, a full disk, a file where its directory belongs).</summary>
    Unwritable,

    /// <summary>The file is truncated, malformed or inconsistent: a damaged safetensors file or state file.</summary>
    Corrupt,

    /// <summary>The file is well formed but does not fit the model: missing or extra tensors, wrong shapes or dtypes.</summary>
    Mismatch,

    /// <summary>
    /// Floating-point values are NaN or infinite: a restore refused such a file, or a save refused such variables
    /// (training diverged); <see cref="CheckpointException.LastGoodCheckpoint"/> names the checkpoint to go back to.
    /// </summary>
    NonFinite,
}
