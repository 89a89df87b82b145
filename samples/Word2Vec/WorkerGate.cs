namespace Word2Vec;

/// <summary>
/// Stops the Hogwild workers between steps: a checkpoint or an interrupt asks for a pause, every live
/// worker parks before its next step, and the monitor then sees the weights, the step counter and
/// every thread's data position at one consistent point (what makes a resumed run exact). The check
/// before a step is two volatile reads unless a pause or stop is pending.
/// </summary>
public sealed class WorkerGate(int workers)
{
    private readonly object _lock = new();
    private int _active = workers;
    private int _parked;
    private volatile bool _pause;
    private volatile bool _stop;

    /// <summary>Whether every worker has left.</summary>
    public bool AllLeft
    {
        get { lock (_lock) return _active == 0; }
    }

    /// <summary>Worker, before a step: parks while a pause is on; false when the workers are to stop.</summary>
    public bool Continue()
    {
        if (!_pause && !_stop) return true;
        lock (_lock)
        {
            if (_pause && !_stop)
            {
                _parked++;
                Monitor.PulseAll(_lock);
                while (_pause && !_stop) Monitor.Wait(_lock);
                _parked--;
            }
            return !_stop;
        }
    }

    /// <summary>Worker, on its way out (its data ran out, the step cap, or a stop).</summary>
    public void Leave()
    {
        lock (_lock)
        {
            _active--;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Asks every worker to park before its next step.</summary>
    public void RequestPause()
    {
        lock (_lock)
        {
            _pause = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Monitor: waits up to <paramref name="timeout"/> for a pause request or the last worker to leave; true when a pause is pending.</summary>
    public bool WaitForPauseOrEnd(TimeSpan timeout)
    {
        lock (_lock)
        {
            if (!_pause && _active > 0) Monitor.Wait(_lock, timeout);
            return _pause;
        }
    }

    /// <summary>Monitor: waits until every worker still running has parked.</summary>
    public void WaitUntilParked()
    {
        lock (_lock)
        {
            while (_parked < _active) Monitor.Wait(_lock);
        }
    }

    /// <summary>Monitor: lets the parked workers go on.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _pause = false;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Makes every worker leave before its next step.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stop = true;
            Monitor.PulseAll(_lock);
        }
    }
}
