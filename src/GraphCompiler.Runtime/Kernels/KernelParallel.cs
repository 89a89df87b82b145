using System.Runtime.ExceptionServices;

namespace GraphCompiler.Runtime.Kernels;

/// <summary>
/// A tiny fork-join pool for the kernels: <c>ProcessorCount - 1</c> long-lived background workers plus
/// the calling thread. A job is a function pointer and a pointer to the caller's (stack) state, so
/// dispatching allocates nothing — unlike <c>Parallel.For</c>, which allocates a closure, tasks and
/// partitioner state on every call. Items are handed out by an atomic counter, so uneven items balance.
/// <para>
/// One job runs at a time. A second thread that finds the pool busy, and any call made from inside a
/// job, runs its items serially on its own thread instead of waiting: with every core already busy
/// that is as fast, and it can never deadlock.
/// </para>
/// </summary>
internal static unsafe class KernelParallel
{
    private static readonly object s_gate = new();
    private static readonly SemaphoreSlim s_start = new(0);
    private static readonly ManualResetEventSlim s_done = new(false);
    private static readonly int s_workerCount = Math.Max(0, Environment.ProcessorCount - 1);
    private static bool s_workersStarted;

    private static delegate*<void*, int, void> s_body;
    private static void* s_state;
    private static int s_count;
    private static int s_next;
    private static int s_pending;
    private static Exception? s_error;

    [ThreadStatic] private static bool t_insideJob;
    [ThreadStatic] private static int t_maxDegreeOverride;

    /// <summary>How many threads a job started on this thread may use (workers plus the caller).</summary>
    public static int MaxDegree
    {
        get
        {
            int all = s_workerCount + 1;
            int forced = t_maxDegreeOverride;
            return forced > 0 ? Math.Min(forced, all) : all;
        }
    }

    /// <summary>Limits jobs started on this thread to <paramref name="degree"/> threads (tests use 1 to compare).</summary>
    public static DegreeScope LimitDegree(int degree)
    {
        int previous = t_maxDegreeOverride;
        t_maxDegreeOverride = Math.Max(1, degree);
        return new DegreeScope(previous);
    }

    /// <summary>
    /// Runs <c>body(state, i)</c> for every <c>i</c> in <c>[0, count)</c>, in parallel where the pool is free,
    /// and returns when all are done. <paramref name="state"/> must stay valid until then (the caller's stack is).
    /// </summary>
    public static void For(int count, delegate*<void*, int, void> body, void* state)
    {
        if (count <= 0) return;
        int helpers = Math.Min(count, MaxDegree) - 1;
        if (helpers <= 0 || t_insideJob || !Monitor.TryEnter(s_gate))
        {
            for (int i = 0; i < count; i++) body(state, i);
            return;
        }

        try
        {
            EnsureWorkers();
            s_body = body;
            s_state = state;
            s_count = count;
            s_error = null;
            Volatile.Write(ref s_next, 0);
            Volatile.Write(ref s_pending, helpers);
            s_done.Reset();
            s_start.Release(helpers);

            RunItems();

            // Take back wake-ups no worker has consumed yet: the items are done, so waiting for a
            // sleeping worker to wake only to find nothing left would be pure latency.
            bool reachedZeroHere = false;
            while (Volatile.Read(ref s_pending) > 0 && s_start.Wait(0))
            {
                if (Interlocked.Decrement(ref s_pending) == 0) { reachedZeroHere = true; break; }
            }

            // Whoever brings pending to zero on a worker sets the event; consume that signal before
            // returning so it cannot leak into the next job.
            if (!reachedZeroHere) s_done.Wait();

            if (s_error is { } error)
            {
                s_error = null;
                ExceptionDispatchInfo.Capture(error).Throw();
            }
        }
        finally
        {
            s_body = null;
            s_state = null;
            Monitor.Exit(s_gate);
        }
    }

    private static void RunItems()
    {
        t_insideJob = true;
        try
        {
            int count = s_count;
            var body = s_body;
            var state = s_state;
            int i;
            while ((i = Interlocked.Increment(ref s_next) - 1) < count) body(state, i);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref s_error, e, null);
            // Let the other threads drain quickly.
            Volatile.Write(ref s_next, int.MaxValue / 2);
        }
        finally
        {
            t_insideJob = false;
        }
    }

    private static void EnsureWorkers()
    {
        if (s_workersStarted) return;
        for (int w = 0; w < s_workerCount; w++)
        {
            var thread = new Thread(WorkerLoop)
            {
                IsBackground = true,
                Name = "GraphCompiler kernel worker " + w,
            };
            thread.Start();
        }
        s_workersStarted = true;
    }

    private static void WorkerLoop()
    {
        while (true)
        {
            s_start.Wait();
            RunItems();
            if (Interlocked.Decrement(ref s_pending) == 0) s_done.Set();
        }
    }

    /// <summary>Restores the previous degree limit when disposed.</summary>
    internal readonly struct DegreeScope(int previous) : IDisposable
    {
        public void Dispose() => t_maxDegreeOverride = previous;
    }
}
