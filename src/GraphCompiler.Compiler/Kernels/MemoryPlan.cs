using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// Where an entry point's values live. Kernel outputs get arena buffers, one arena per dtype; a buffer
/// is live from the kernel that first stores into it to the last kernel that reads a value it holds
/// (in-place outputs share their input's buffer), so buffers whose lives do not overlap may share
/// memory. Sizes are symbolic (a shape's element count over the entry's dims); the offsets follow from
/// sizes and live ranges once the dims are bound, by the runtime's arena planner, per binding. Values an
/// assign stores unchanged are written straight into their variable (a sink) and get no buffer.
/// Variables, optimizer slots included, live across entry points, outside the arena.
/// </summary>
public sealed class MemoryPlan
{
    internal MemoryPlan(IReadOnlyList<ArenaBuffer> buffers, IReadOnlyDictionary<Node, ArenaBuffer> bufferOf,
        IReadOnlyDictionary<Node, string> sinks, IReadOnlyList<string> variables)
    {
        Buffers = buffers;
        BufferOf = bufferOf;
        Sinks = sinks;
        Variables = variables;
    }

    /// <summary>The distinct buffers, in the order they are first stored into.</summary>
    public IReadOnlyList<ArenaBuffer> Buffers { get; }

    /// <summary>The buffer of every value a kernel stores in the arena (in-place outputs map to their input's).</summary>
    public IReadOnlyDictionary<Node, ArenaBuffer> BufferOf { get; }

    /// <summary>Values written straight into a variable's storage, by the variable's name.</summary>
    public IReadOnlyDictionary<Node, string> Sinks { get; }

    /// <summary>The variables the entry point reads or updates: state that lives across entry points.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>The arenas: one per dtype that has buffers, in order of first use.</summary>
    public IReadOnlyList<DType> Arenas => Buffers.Select(b => b.DType).Distinct().ToList();

    /// <summary>The buffers of one arena, in order.</summary>
    public IReadOnlyList<ArenaBuffer> InArena(DType dtype) => Buffers.Where(b => b.DType == dtype).ToList();
}

/// <summary>
/// One arena buffer: <see cref="Index"/> over all the entry's buffers, the value first stored in it,
/// its size (the element count of <see cref="Shape"/>, symbolic in the entry's dims) and its live range
/// in kernel indices (<see cref="LastUse"/> = the kernel count when read after every kernel).
/// </summary>
public sealed record ArenaBuffer(int Index, Node Value, int FirstUse, int LastUse)
{
    /// <summary>An identifier after the value first stored in it (<c>h1MatmulGradMatmul1</c>), unique in its plan.</summary>
    public string Name { get; init; } = "buffer" + Index;

    public DType DType => Value.DType;

    public Shape Shape => Value.Shape;
}
