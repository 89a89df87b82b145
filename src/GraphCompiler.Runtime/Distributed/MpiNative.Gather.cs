using System.Runtime.InteropServices;

namespace GraphCompiler.Runtime.Distributed;

internal static unsafe partial class MpiNative
{
    private static readonly Lazy<GatherApi> GatherLoaded = new(LoadGather);

    /// <summary>The gathering collectives, resolved on first use.</summary>
    public static GatherApi Gathers => GatherLoaded.Value;

    /// <summary><c>MPI_Allgather</c> and <c>MPI_Allgatherv</c>: what a sparse all-reduce (ids and rows) is built on.</summary>
    public sealed class GatherApi
    {
        /// <summary><c>int MPI_Allgather(const void* send, int count, MPI_Datatype, void* receive, int count, MPI_Datatype, MPI_Comm)</c>.</summary>
        public delegate* unmanaged<nint, int, nint, nint, int, nint, nint, int> Allgather;

        /// <summary><c>int MPI_Allgatherv(const void* send, int count, MPI_Datatype, void* receive, const int counts[], const int displacements[], MPI_Datatype, MPI_Comm)</c>.</summary>
        public delegate* unmanaged<nint, int, nint, nint, int*, int*, nint, nint, int> Allgatherv;
    }

    /// <summary>
    /// Resolves the gathers in the process's global scope: <see cref="Mpi"/> has loaded <c>libmpi</c> there
    /// (<c>RTLD_GLOBAL</c>), so this table needs no handle of its own.
    /// </summary>
    private static GatherApi LoadGather()
    {
        _ = Mpi;
        var global = NativeLibrary.GetMainProgramHandle();
        nint F(string symbol) => NativeLibrary.TryGetExport(global, symbol, out var p) ? p
            : throw new MpiException($"libmpi has no symbol {symbol}: only Open MPI's libmpi is supported");
        return new GatherApi
        {
            Allgather = (delegate* unmanaged<nint, int, nint, nint, int, nint, nint, int>)F("MPI_Allgather"),
            Allgatherv = (delegate* unmanaged<nint, int, nint, nint, int*, int*, nint, nint, int>)F("MPI_Allgatherv"),
        };
    }
}
