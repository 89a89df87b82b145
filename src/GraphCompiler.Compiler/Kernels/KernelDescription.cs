using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Kernels;

/// <summary>
/// One kernel of the schedule described for any back end: what it iterates over, what it reads and
/// how each operand is addressed, what it stores, and which outputs may take an input's storage.
/// Renderers (CPU C#, ILGPU) turn descriptions into code; they decide vector width and core split.
/// </summary>
public abstract class KernelDescription
{
    private protected KernelDescription(Kernel source, IterationSpace space, IReadOnlyList<KernelOperand> operands, IReadOnlyList<Node> inPlaceOutputs)
    {
        Source = source;
        Space = space;
        Operands = operands;
        InPlaceOutputs = inPlaceOutputs;
    }

    /// <summary>The fusion plan's kernel this describes (its members, schedule position and name).</summary>
    public Kernel Source { get; }

    /// <summary>A readable name after the ops it computes (<c>K2_mul_add_sub</c>).</summary>
    public string Name => Source.MethodName;

    public IterationSpace Space { get; }

    /// <summary>The values read, in the order a renderer passes them (literals included, addressed as <see cref="IndexMap.Literal"/>).</summary>
    public IReadOnlyList<KernelOperand> Operands { get; }

    /// <summary>The values stored, in the order a renderer passes them.</summary>
    public IReadOnlyList<Node> Outputs => Source.Outputs;

    /// <summary>
    /// Outputs that may take the storage of a same-shaped, same-dtype operand: the kernel reads each
    /// element of its inputs before it stores that element, and reads none of them again afterwards.
    /// Whether one does depends on liveness across kernels, which the memory plan decides.
    /// </summary>
    public IReadOnlyList<Node> InPlaceOutputs { get; }

    private KernelNames? _names;

    /// <summary>
    /// The identifiers of the kernel's code (<see cref="KernelNames"/>), set by the memory plan, which
    /// knows the variables that outputs update; a description lowered on its own names them without.
    /// </summary>
    public KernelNames Names
    {
        get => _names ??= KernelNames.For(this);
        internal set => _names = value;
    }

    /// <summary>The operands that are not literals: the buffers a call passes.</summary>
    public IEnumerable<KernelOperand> Buffers => Operands.Where(o => o.Map != IndexMap.Literal);

    /// <summary>The storage a call passes for the operand <paramref name="value"/> (<see cref="KernelOperand.Storage"/>).</summary>
    public Node StorageOf(Node value) => Operands.First(o => o.Value == value).Storage;
}
