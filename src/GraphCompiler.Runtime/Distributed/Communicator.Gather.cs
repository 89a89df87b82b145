using static GraphCompiler.Runtime.Distributed.MpiNative;

namespace GraphCompiler.Runtime.Distributed;

public sealed unsafe partial class Communicator
{
    /// <summary>
    /// Every rank's <paramref name="mine"/> (the same length on every rank) into every rank's <paramref name="all"/>,
    /// rank r's at <c>r · mine.Length</c> (<c>MPI_Allgather</c>).
    /// </summary>
    public void Allgather<T>(ReadOnlySpan<T> mine, Span<T> all) where T : unmanaged
    {
        if (all.Length != mine.Length * Size)
            throw new ArgumentException($"Allgather: {all.Length} elements received for {mine.Length} from each of {Size} ranks", nameof(all));
        int bytes = checked(mine.Length * sizeof(T));
        var (mpi, gathers) = (Mpi, Gathers);
        fixed (T* send = mine)
        fixed (T* receive = all)
        {
            nint s = (nint)send, r = (nint)receive;
            Collective("MPI_Allgather", () => gathers.Allgather(s, bytes, mpi.Byte, r, bytes, mpi.Byte, mpi.CommWorld));
        }
    }

    /// <summary>
    /// Every rank's bytes, of any length, one after the other in rank order on every rank (<c>MPI_Allgather</c> of the
    /// lengths, then <c>MPI_Allgatherv</c>), into <paramref name="into"/>, which is replaced by a larger array when it is
    /// too short (so a caller that exchanges every step reuses one); <paramref name="lengths"/> (one per rank) receives
    /// each rank's length. Returns the bytes received in all.
    /// </summary>
    public int AllgatherVariable(ReadOnlySpan<byte> mine, ref byte[] into, int[] lengths)
    {
        if (lengths.Length != Size) throw new ArgumentException($"AllgatherVariable: {lengths.Length} lengths for {Size} ranks", nameof(lengths));
        Allgather([mine.Length], lengths);
        var offsets = new int[Size];
        int total = 0;
        for (int r = 0; r < Size; r++)
        {
            offsets[r] = total;
            total = checked(total + lengths[r]);
        }
        if (into.Length < total) into = new byte[Math.Max(total, into.Length * 2)];
        var (mpi, gathers) = (Mpi, Gathers);
        int count = mine.Length;
        fixed (byte* send = mine)
        fixed (byte* receive = into)
        fixed (int* counts = lengths)
        fixed (int* displacements = offsets)
        {
            nint s = (nint)send, r = (nint)receive, c = (nint)counts, d = (nint)displacements;
            Collective("MPI_Allgatherv", () => gathers.Allgatherv(s, count, mpi.Byte, r, (int*)c, (int*)d, mpi.Byte, mpi.CommWorld));
        }
        return total;
    }
}
