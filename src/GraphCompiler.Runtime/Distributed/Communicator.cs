using System.Runtime.InteropServices;
using static GraphCompiler.Runtime.Distributed.MpiNative;

namespace GraphCompiler.Runtime.Distributed;

/// <summary>
/// The processes of one <c>mpirun</c> (<c>MPI_COMM_WORLD</c>): rank, world size and the collectives of
/// data-parallel training. Every collective runs under a <see cref="CollectiveWatchdog"/>: a rank that
/// waits longer than <see cref="CollectiveTimeout"/> for the others (one of them died or hangs) prints one
/// <c>error:</c> line and exits, rather than hanging forever. MPI errors are returned, not fatal, and
/// surface as <see cref="MpiException"/>. Collectives are called by one thread at a time (MPI_THREAD_SERIALIZED):
/// the training thread, or the communication thread of an overlapped gradient all-reduce while the training
/// thread computes.
/// </summary>
public sealed unsafe partial class Communicator : IDisposable, IGradientCollectives
{
    /// <summary>Exit code of a rank whose peers stopped answering (a collective timed out).</summary>
    public const int PeerLostExitCode = 4;

    private readonly CollectiveWatchdog _watchdog;

    /// <summary>The level MPI_Init_thread provided (funneled assumed when MPI was started elsewhere).</summary>
    private static int s_threadLevel = ThreadFunneled;
    private bool _disposed;

    private Communicator(int rank, int size, TimeSpan timeout, int threadLevel)
    {
        ThreadLevel = threadLevel;
        Rank = rank;
        Size = size;
        CollectiveTimeout = timeout;
        _watchdog = new CollectiveWatchdog(rank, timeout, PeerLostExitCode);
    }

    /// <summary>This process's rank, 0 ≤ rank &lt; <see cref="Size"/>.</summary>
    public int Rank { get; }

    /// <summary>The number of processes (the world size).</summary>
    public int Size { get; }

    /// <summary>Rank 0 writes checkpoints, summaries and progress.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>The thread support MPI provides (<c>MPI_THREAD_SINGLE</c> 0 … <c>MPI_THREAD_MULTIPLE</c> 3).</summary>
    public int ThreadLevel { get; }

    /// <summary>Whether collectives may run on a communication thread, one call at a time (MPI_THREAD_SERIALIZED or more).</summary>
    public bool AllowsCommunicationThread => ThreadLevel >= ThreadSerialized;

    /// <summary>How long one collective may wait for the other ranks before this rank gives up.</summary>
    public TimeSpan CollectiveTimeout { get; }

    /// <summary>Whether this process was started by Open MPI's <c>mpirun</c>.</summary>
    public static bool LaunchedByMpirun => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;

    /// <summary>
    /// <c>MPI_Init_thread</c> over <c>MPI_COMM_WORLD</c>. Started without <c>mpirun</c>, it is a world of one.
    /// </summary>
    public static Communicator Initialize(TimeSpan? collectiveTimeout = null)
    {
        var mpi = Mpi;
        int initialized, provided = s_threadLevel, rank, size;
        Check(mpi.Initialized(&initialized), "MPI_Initialized");
        // SERIALIZED, not MULTIPLE: the overlapped all-reduce calls MPI from its communication thread while the
        // training thread computes, never from two threads at once; Open MPI takes its internal locks only when
        // MULTIPLE is provided, so asking for less keeps every call lock-free. Open MPI 4.1 provides it.
        if (initialized == 0)
        {
            Check(mpi.InitThread(0, 0, ThreadSerialized, &provided), "MPI_Init_thread");
            s_threadLevel = provided;
        }
        Check(mpi.CommSetErrhandler(mpi.CommWorld, mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
        Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        return new Communicator(rank, size, collectiveTimeout ?? TimeSpan.FromSeconds(60), provided);
    }

    /// <summary>Sums <paramref name="data"/> over all ranks, in place; every rank gets the same bits.</summary>
    public void AllreduceSum(Span<float> data) => Reduce(data, Mpi.OpSum, "MPI_Allreduce(sum)");

    /// <summary>The sum over all ranks, then times 1/<see cref="Size"/>: the mean of the ranks' values.</summary>
    public void AllreduceMean(Span<float> data)
    {
        AllreduceSum(data);
        if (Size > 1) System.Numerics.Tensors.TensorPrimitives.Multiply(data, 1f / Size, data);
    }

    /// <summary>The maximum over all ranks of one value.</summary>
    public double AllreduceMax(double value) => ReduceScalar(value, Mpi.OpMax, "MPI_Allreduce(max)");

    /// <summary>The minimum over all ranks of one value.</summary>
    public double AllreduceMin(double value) => ReduceScalar(value, Mpi.OpMin, "MPI_Allreduce(min)");

    /// <summary>Rank <paramref name="root"/>'s bytes into every rank's <paramref name="data"/>.</summary>
    public void Broadcast(Span<byte> data, int root = 0) =>
        InChunks(data, "MPI_Bcast", (address, length) => Mpi.Bcast(address, length, Mpi.Byte, root, Mpi.CommWorld));

    /// <summary>Rank <paramref name="root"/>'s value of an unmanaged struct or number on every rank.</summary>
    public T Broadcast<T>(T value, int root = 0) where T : unmanaged
    {
        Broadcast(MemoryMarshal.AsBytes(new Span<T>(ref value)), root);
        return value;
    }

    /// <summary>Waits until every rank has reached it.</summary>
    public void Barrier()
    {
        var mpi = Mpi;
        Collective("MPI_Barrier", () => mpi.Barrier(mpi.CommWorld));
    }

    /// <summary><c>MPI_Abort</c>: ends every rank of the job with <paramref name="exitCode"/>.</summary>
    public void Abort(int exitCode) => Mpi.Abort(Mpi.CommWorld, exitCode);

    private void Reduce(Span<float> data, nint op, string call) =>
        InChunks(data, call, (address, length) => Mpi.Allreduce(InPlace, address, length, Mpi.Float, op, Mpi.CommWorld));

    /// <summary>Runs a collective over <paramref name="data"/> in pieces whose byte size fits MPI's int counts.</summary>
    private void InChunks<T>(Span<T> data, string call, Func<nint, int, int> run) where T : unmanaged
    {
        int most = int.MaxValue / sizeof(T);
        for (int start = 0; start < data.Length; start += most)
        {
            var chunk = data.Slice(start, Math.Min(most, data.Length - start));
            fixed (T* p = chunk)
            {
                nint address = (nint)p;
                int length = chunk.Length;
                Collective(call, () => run(address, length));
            }
        }
    }

    private double ReduceScalar(double value, nint op, string call)
    {
        var mpi = Mpi;
        double result = 0;
        nint source = (nint)(&value), target = (nint)(&result);
        Collective(call, () => mpi.Allreduce(source, target, 1, mpi.Double, op, mpi.CommWorld));
        return result;
    }

    private void Collective(string call, Func<int> run)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _watchdog.Enter(call);
        try
        {
            Check(run(), call);
        }
        finally
        {
            _watchdog.Leave();
        }
    }

    /// <summary>
    /// Leaves without the closing barrier and <c>MPI_Finalize</c>, for a rank that fails while the others may
    /// be inside a collective it will never join: the process then exits with its error, and <c>mpirun</c>
    /// ends the other ranks.
    /// </summary>
    public void Abandon()
    {
        if (_disposed) return;
        _disposed = true;
        _watchdog.Dispose();
    }

    /// <summary><c>MPI_Finalize</c> (after a barrier, so no rank leaves while others still talk to it).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        Barrier();
        _disposed = true;
        _watchdog.Dispose();
        int finalized;
        if (Mpi.Finalized(&finalized) == Success && finalized == 0) Check(Mpi.Finalize(), "MPI_Finalize");
    }
}
