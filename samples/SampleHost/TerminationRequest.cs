using System.Runtime.InteropServices;

namespace GraphCompiler.Samples;

/// <summary>
/// Turns the first SIGINT (Ctrl+C) or SIGTERM into a request the program honours at a clean point
/// (after the current step, with a checkpoint saved); a second signal terminates at once, so a stuck
/// program can still be stopped. The handlers are removed on dispose.
/// </summary>
public sealed class TerminationRequest : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private int _requested;

    /// <summary>Listens for SIGINT and SIGTERM; <paramref name="onRequest"/> runs on the first, on the signal's thread.</summary>
    public TerminationRequest(Action onRequest)
    {
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            if (Interlocked.Exchange(ref _requested, 1) != 0) return;   // the second: default handling ends the process
            context.Cancel = true;
            Console.Error.WriteLine();
            Console.Error.WriteLine($"{context.Signal} received: stopping after the current step and saving a checkpoint (send it again to terminate now)");
            onRequest();
        }))];
    }

    /// <summary>Whether a signal has been received.</summary>
    public bool Requested => Volatile.Read(ref _requested) != 0;

    /// <summary>Removes the handlers.</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
