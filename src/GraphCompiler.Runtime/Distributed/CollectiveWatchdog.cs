using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Distributed;

/// <summary>
/// Bounds how long a rank waits inside one collective. MPI itself may wait forever for a peer that died
/// without its <c>mpirun</c> noticing (or that hangs); a background thread checks once a second and, when
/// the current collective has run past the timeout, prints one <c>error:</c> line naming the rank, the
/// call and the wait, and ends the process at once with <c>_exit</c> (the main thread is blocked inside
/// MPI, so nothing managed can unwind it). <c>mpirun</c> then ends the job. Checkpoints are written to a
/// temporary name and renamed, so the last complete one stays valid.
/// </summary>
internal sealed class CollectiveWatchdog : IDisposable
{
    private readonly int _rank;
    private readonly TimeSpan _timeout;
    private readonly int _exitCode;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private string? _call;
    private long _enteredTicks;

    public CollectiveWatchdog(int rank, TimeSpan timeout, int exitCode)
    {
        _rank = rank;
        _timeout = timeout;
        _exitCode = exitCode;
        _thread = new Thread(Watch) { IsBackground = true, Name = "MPI collective watchdog" };
        _thread.Start();
    }

    public void Enter(string call)
    {
        Volatile.Write(ref _enteredTicks, Stopwatch.GetTimestamp());
        Volatile.Write(ref _call, call);
    }

    public void Leave() => Volatile.Write(ref _call, null);

    private void Watch()
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_timeout.TotalMilliseconds / 4, 10, 1000));
        while (!_stop.Wait(period))
        {
            var call = Volatile.Read(ref _call);
            if (call is null) continue;
            var waited = Stopwatch.GetElapsedTime(Volatile.Read(ref _enteredTicks));
            if (waited < _timeout || !ReferenceEquals(call, Volatile.Read(ref _call))) continue;
            Console.Error.WriteLine($"error: rank {_rank}: {call} has waited {waited.TotalSeconds:F0} s for the other ranks (limit {_timeout.TotalSeconds:F0} s); a rank has died or hangs, so this rank stops (exit code {_exitCode}). The last complete checkpoint is still valid; restart to resume from it.");
            Console.Error.Flush();
            Exit(_exitCode);
        }
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
