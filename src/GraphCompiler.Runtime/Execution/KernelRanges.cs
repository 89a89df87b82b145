using System.Runtime.CompilerServices;
using GraphCompiler.Runtime.Kernels;

namespace GraphCompiler.Runtime.Execution;

/// <summary>A fused kernel's loop over the element range [from, to), reading its spans from a state.</summary>
/// <typeparam name="TState">The kernel's ref struct of input and output spans.</typeparam>
public delegate void KernelRange<TState>(ref TState state, int from, int to) where TState : allows ref struct;

/// <summary>
/// Splits a large flat fused kernel (an elementwise pass or an optimizer update over a big variable)
/// across the cores of the kernel pool. Generated kernels pass their spans in a ref struct on the
/// caller's stack; the workers read it through a pointer while the caller waits, which is safe
/// because the call does not return before every range is done, and allocates nothing.
/// </summary>
public static unsafe class KernelRanges
{
    /// <summary>
    /// Elements from which a kernel is split (each core then gets at least half of this): below it a
    /// wake-up of the other core costs more than the share of the loop it would take.
    /// </summary>
    public const int ParallelElements = 1 << 16;

    /// <summary>Runs <paramref name="body"/> over [0, count), in contiguous ranges on several cores when <paramref name="count"/> is large.</summary>
    public static void For<TState>(int count, ref TState state, KernelRange<TState> body) where TState : allows ref struct =>
        Split(count, count, multiple: 64, ref state, body); // edges on 64 elements keep the parts' vector loops aligned

    /// <summary>
    /// Runs <paramref name="body"/> over the rows [0, rows) of a row kernel of <paramref name="elements"/>
    /// elements in all, in contiguous row ranges on several cores when the kernel is large.
    /// </summary>
    public static void ForRows<TState>(int rows, int elements, ref TState state, KernelRange<TState> body) where TState : allows ref struct =>
        Split(rows, elements, multiple: 1, ref state, body);

    /// <summary>[0, units) in up to one range per core, each worth at least half of <see cref="ParallelElements"/>.</summary>
    private static void Split<TState>(int units, int elements, int multiple, ref TState state, KernelRange<TState> body) where TState : allows ref struct
    {
        ArgumentNullException.ThrowIfNull(body);
        int parts = Math.Min(Math.Min(KernelParallel.MaxDegree, elements / (ParallelElements / 2)), units);
        if (parts <= 1)
        {
            body(ref state, 0, units);
            return;
        }
        var job = new Job<TState> { State = Unsafe.AsPointer(ref state), Body = body, Count = units, Parts = parts, Multiple = multiple };
        KernelParallel.For(parts, &RunPart<TState>, Unsafe.AsPointer(ref job));
    }

    private struct Job<TState> where TState : allows ref struct
    {
        public void* State;
        public KernelRange<TState> Body;
        public int Count;
        public int Parts;
        public int Multiple; // range edges fall on multiples of this
    }

    private static void RunPart<TState>(void* jobPointer, int part) where TState : allows ref struct
    {
        ref var job = ref Unsafe.AsRef<Job<TState>>(jobPointer);
        int from = RangeEdge(job.Count, part, job.Parts, job.Multiple), to = RangeEdge(job.Count, part + 1, job.Parts, job.Multiple);
        job.Body(ref Unsafe.AsRef<TState>(job.State), from, to);
    }

    private static int RangeEdge(int count, int part, int parts, int multiple) =>
        part >= parts ? count : (int)Math.Min(count, (long)count * part / parts / multiple * multiple);
}
