using System.Runtime.InteropServices;
using System.Text;

namespace GraphCompiler.Runtime.Distributed;

/// <summary>
/// The few MPI calls data-parallel training needs, bound by hand to Open MPI's <c>libmpi</c>.
/// Why our own binding: the one .NET MPI binding on NuGet, MPI.NET 1.4.0, restores on net10.0 but is
/// built against Microsoft MPI (<c>msmpi.dll</c>, handles as 32-bit integers) and its package says it is
/// for Windows only; under Open MPI every handle is a pointer to an exported object (<c>MPI_Comm</c> is
/// <c>ompi_communicator_t*</c>, <c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>, <c>MPI_FLOAT</c>
/// <c>&amp;ompi_mpi_float</c>, <c>MPI_SUM</c> <c>&amp;ompi_mpi_op_sum</c>), so the handles are resolved here
/// as the addresses of those exports. This is Open MPI's ABI (Debian's <c>openmpi-bin</c>/<c>libopenmpi-dev</c>);
/// MPICH's integer handles would need their own table.
/// </summary>
internal static unsafe partial class MpiNative
{
    public const int Success = 0;
    public const int ThreadFunneled = 1;
    public const int ThreadSerialized = 2;

    /// <summary>Open MPI's <c>MPI_IN_PLACE</c>.</summary>
    public static readonly nint InPlace = 1;

    private static readonly Lazy<Api> Loaded = new(Load);

    public static Api Mpi => Loaded.Value;

    /// <summary>The entry points and handles, resolved once.</summary>
    public sealed class Api
    {
        public nint CommWorld, Float, Double, Byte, LongLong, OpSum, OpMax, OpMin, ErrorsReturn;
        public delegate* unmanaged<int*, int> Initialized;
        public delegate* unmanaged<int*, int> Finalized;
        public delegate* unmanaged<nint, nint, int, int*, int> InitThread;
        public delegate* unmanaged<int> Finalize;
        public delegate* unmanaged<nint, int*, int> CommRank;
        public delegate* unmanaged<nint, int*, int> CommSize;
        public delegate* unmanaged<nint, nint, int> CommSetErrhandler;
        public delegate* unmanaged<nint, nint, int, nint, nint, nint, int> Allreduce;
        public delegate* unmanaged<nint, int, nint, int, nint, int> Bcast;
        public delegate* unmanaged<nint, int> Barrier;
        public delegate* unmanaged<nint, int, int> Abort;
        public delegate* unmanaged<int, byte*, int*, int> ErrorString;
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern nint DlOpen(string file, int mode);

    private const int RtldNow = 2, RtldGlobal = 0x100;

    /// <summary>
    /// Loads <c>libmpi</c> with <c>RTLD_GLOBAL</c>: Open MPI's components are plugins that resolve symbols of
    /// the MPI libraries they are loaded into, which a library opened locally (as <c>NativeLibrary.Load</c>
    /// does) hides from them.
    /// </summary>
    private static Api Load()
    {
        nint lib = 0;
        foreach (var name in new[] { "libmpi.so.40", "libmpi.so" })
        {
            if (OperatingSystem.IsLinux()) DlOpen(name, RtldNow | RtldGlobal);
            if (NativeLibrary.TryLoad(name, out lib)) break;
        }
        if (lib == 0)
            throw new MpiException("Open MPI's libmpi was not found: install it (Debian: apt-get install openmpi-bin libopenmpi-dev) and start the program with mpirun");
        nint F(string symbol) => NativeLibrary.TryGetExport(lib, symbol, out var p) ? p
            : throw new MpiException($"libmpi has no symbol {symbol}: only Open MPI's libmpi is supported");
        return new Api
        {
            CommWorld = F("ompi_mpi_comm_world"),
            Float = F("ompi_mpi_float"),
            Double = F("ompi_mpi_double"),
            Byte = F("ompi_mpi_byte"),
            LongLong = F("ompi_mpi_long_long_int"),
            OpSum = F("ompi_mpi_op_sum"),
            OpMax = F("ompi_mpi_op_max"),
            OpMin = F("ompi_mpi_op_min"),
            ErrorsReturn = F("ompi_mpi_errors_return"),
            Initialized = (delegate* unmanaged<int*, int>)F("MPI_Initialized"),
            Finalized = (delegate* unmanaged<int*, int>)F("MPI_Finalized"),
            InitThread = (delegate* unmanaged<nint, nint, int, int*, int>)F("MPI_Init_thread"),
            Finalize = (delegate* unmanaged<int>)F("MPI_Finalize"),
            CommRank = (delegate* unmanaged<nint, int*, int>)F("MPI_Comm_rank"),
            CommSize = (delegate* unmanaged<nint, int*, int>)F("MPI_Comm_size"),
            CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)F("MPI_Comm_set_errhandler"),
            Allreduce = (delegate* unmanaged<nint, nint, int, nint, nint, nint, int>)F("MPI_Allreduce"),
            Bcast = (delegate* unmanaged<nint, int, nint, int, nint, int>)F("MPI_Bcast"),
            Barrier = (delegate* unmanaged<nint, int>)F("MPI_Barrier"),
            Abort = (delegate* unmanaged<nint, int, int>)F("MPI_Abort"),
            ErrorString = (delegate* unmanaged<int, byte*, int*, int>)F("MPI_Error_string"),
        };
    }

    /// <summary>Throws <see cref="MpiException"/> with MPI's own text for a failed call.</summary>
    public static void Check(int code, string call)
    {
        if (code == Success) return;
        var buffer = stackalloc byte[512];
        int length = 0;
        var text = Mpi.ErrorString(code, buffer, &length) == Success ? Encoding.ASCII.GetString(buffer, length) : "error " + code;
        throw new MpiException($"{call} failed: {text}");
    }
}

/// <summary>An MPI call failed, or MPI is missing.</summary>
public sealed class MpiException(string message) : Exception(message);
