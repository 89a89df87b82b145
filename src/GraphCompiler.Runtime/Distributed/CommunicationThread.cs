using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace GraphCompiler.Runtime.Distributed;

/// <summary>
/// One thread that runs posted collectives one after the other, in the order they were posted, while the
/// posting thread goes on computing (Horovod's background thread). <see cref="Drain"/> waits until all have
/// run and rethrows the first failure; after a failure the rest are skipped, since the ranks are no longer in
/// step and the failure ends the run.
/// </summary>
internal sealed class CommunicationThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private readonly object _gate = new();
    private int _pending;
    private ExceptionDispatchInfo? _failure;

    public CommunicationThread()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "gradient all-reduce" };
        _thread.Start();
    }

    public void Post(Action work)
    {
        lock (_gate) _pending++;
        _work.Add(work);
    }

    /// <summary>Waits until every posted collective has run; throws the first one's failure.</summary>
    public void Drain()
    {
        lock (_gate)
        {
            while (_pending > 0) Monitor.Wait(_gate);
        }
        _failure?.Throw();
    }

    private void Run()
    {
        foreach (var work in _work.GetConsumingEnumerable())
        {
            try
            {
                if (_failure is null) work();
            }
            catch (Exception ex)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                lock (_gate)
                {
                    if (--_pending == 0) Monitor.PulseAll(_gate);
                }
            }
        }
    }

    /// <summary>
    /// Ends the thread once it has nothing left to do. A thread still inside a collective (the run is failing, a
    /// peer may be gone) is left to the process's exit rather than waited for: it is a background thread.
    /// </summary>
    public void Dispose()
    {
        _work.CompleteAdding();
        bool idle;
        lock (_gate) idle = _pending == 0;
        if (idle) _thread.Join();
    }
}
