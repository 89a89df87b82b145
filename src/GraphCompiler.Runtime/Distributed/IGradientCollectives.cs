namespace GraphCompiler.Runtime.Distributed;

/// <summary>
/// The collective the gradient all-reduce needs (<see cref="GradientAllreduce"/>): <see cref="Communicator"/>
/// over MPI, or a stand-in where a test checks the order and the data of the calls without MPI.
/// </summary>
public interface IGradientCollectives
{
    /// <summary>The number of ranks.</summary>
    int Size { get; }

    /// <summary>
    /// Whether <see cref="AllreduceMean"/> may run on a thread of its own while the thread that made this object
    /// computes, as long as no two threads call into it at once (MPI's <c>MPI_THREAD_SERIALIZED</c>).
    /// </summary>
    bool AllowsCommunicationThread { get; }

    /// <summary>Replaces <paramref name="data"/> by its mean over the ranks, in place; every rank gets the same bits.</summary>
    void AllreduceMean(Span<float> data);
}
