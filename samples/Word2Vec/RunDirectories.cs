using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Samples;

namespace Word2Vec;

/// <summary>
/// The log directory's layout: one timestamped run directory per run (<c>run-20261207130500/</c>), each
/// with its summaries, projector files, metrics, vocabulary and its own <c>checkpoints/</c>, so a fresh
/// run never touches (or prunes) another run's checkpoints.
/// </summary>
public static class RunDirectories
{
    /// <summary>The folder of a run's checkpoints.</summary>
    public static string Checkpoints(string run) => Path.Combine(run, "checkpoints");

    /// <summary>A new run directory under <paramref name="logDir"/>.</summary>
    public static string CreateRun(string logDir)
    {
        CheckLogDir(logDir);
        try
        {
            return RunDirectory.Create(logDir);
        }
        catch (IOException e)
        {
            throw new UserError("log directory", $"cannot create a run directory in it: {e.Message}", logDir, innerException: e);
        }
    }

    /// <summary>
    /// The run to resume: <paramref name="named"/> (a path, or a run's name under <paramref name="logDir"/>), or
    /// when empty the latest run under <paramref name="logDir"/> that has a checkpoint. Returns the run and its latest checkpoint.
    /// </summary>
    public static (string Run, string Checkpoint) FindResumable(string logDir, string named)
    {
        CheckLogDir(logDir);
        if (named.Length > 0)
        {
            var run = Directory.Exists(named) ? named : Path.Combine(logDir, named);
            if (!Directory.Exists(run)) throw new UserError("run directory", "does not exist (--resume takes a run directory, or nothing for the latest run)", named);
            return (run, Saver.LatestCheckpoint(Checkpoints(run))
                ?? throw new UserError("run directory", "has no checkpoint to resume from", run));
        }
        var runs = Directory.Exists(logDir) ? Directory.GetDirectories(logDir, "run-*").Order(StringComparer.Ordinal).Reverse() : [];
        foreach (var run in runs)
            if (Saver.LatestCheckpoint(Checkpoints(run)) is { } checkpoint) return (run, checkpoint);
        throw new UserError("log directory", "has no run with a checkpoint to resume (start without --resume)", logDir);
    }

    /// <summary>Refuses a log directory that is a regular file, before any work that would be lost on the error.</summary>
    public static void CheckLogDir(string logDir)
    {
        if (File.Exists(logDir)) throw new UserError("log directory", "is a regular file, not a directory (give --logdir a directory)", logDir);
    }
}
