namespace GraphCompiler.Runtime.Training;

/// <summary>
/// Turns Ctrl+C into a request that <see cref="Trainer.Fit"/> honours after the current step, instead of
/// killing the process mid-step (and mid-checkpoint). A second Ctrl+C is let through, so a stuck step can still
/// be killed. The handler is removed on dispose.
/// </summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly TextWriter? _notice;
    private readonly ConsoleCancelEventHandler? _handler;
    private volatile bool _requested;

    private InterruptSignal(TextWriter? notice, bool hookConsole)
    {
        _notice = notice;
        if (!hookConsole) return;
        _handler = (_, e) => e.Cancel = Request();
        try
        {
            Console.CancelKeyPress += _handler;
        }
        catch (PlatformNotSupportedException)
        {
            _handler = null;
        }
    }

    /// <summary>Listens for Ctrl+C on the console until disposed.</summary>
    public static InterruptSignal HookConsole() => new(Console.Error, hookConsole: true);

    /// <summary>A signal that only <see cref="Request"/> raises (no console hook).</summary>
    public static InterruptSignal Manual(TextWriter? notice = null) => new(notice, hookConsole: false);

    public bool Requested => _requested;

    /// <summary>Records a request; returns whether it was the first (and so should cancel termination).</summary>
    public bool Request()
    {
        if (_requested) return false;
        _requested = true;
        _notice?.WriteLine();
        _notice?.WriteLine("Interrupt received: stopping after the current step (press Ctrl+C again to terminate now).");
        return true;
    }

    public void Dispose()
    {
        if (_handler != null) Console.CancelKeyPress -= _handler;
    }
}
