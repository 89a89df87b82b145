using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// What an op sees while emitting itself as a library-call kernel: C# expressions for its input
/// and output spans, dims and shapes, and a sink for statements.
/// </summary>
public sealed class CpuKernelContext
{
    private readonly Func<Node, string> _read;
    private readonly Func<Dim, string> _dim;
    private readonly List<string> _lines;

    internal CpuKernelContext(Node node, Func<Node, string> read, string write, Func<Dim, string> dim, List<string> lines)
    {
        Node = node;
        _read = read;
        Write = write;
        _dim = dim;
        _lines = lines;
    }

    public Node Node { get; }

    /// <summary>A <c>ReadOnlySpan&lt;T&gt;</c> expression over input <paramref name="i"/>.</summary>
    public string In(int i) => _read(Node.Inputs[i]);

    /// <summary>A <c>ReadOnlySpan&lt;T&gt;</c> expression over any computed value (a fused kernel's other operands).</summary>
    public string Read(Node n) => _read(n);

    /// <summary>A <c>Span&lt;T&gt;</c> expression over the output.</summary>
    public string Write { get; }

    /// <summary>The C# element type of the output.</summary>
    public string T => Node.DType.CSharpName();

    public string Dim(Dim d) => _dim(d);

    /// <summary>An <c>int</c> expression for the element count of a shape.</summary>
    public string Count(Shape s) => s.Rank == 0 ? "1" : string.Join(" * ", s.Select(Dim));

    /// <summary>A <c>ReadOnlySpan&lt;int&gt;</c> expression holding a shape's dims.</summary>
    public string ShapeSpan(Shape s) => Ints(s.Select(Dim));

    public static string Ints(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "ReadOnlySpan<int>.Empty" : "stackalloc int[] { " + string.Join(", ", list) + " }";
    }

    public void Line(string statement) => _lines.Add(statement);

    /// <summary>True while emitting the train step (dropout and other training-only behaviour apply).</summary>
    public bool IsTraining { get; internal set; }

    /// <summary>An expression for the model's graph-level seed (<c>ulong</c>).</summary>
    public string GraphSeed => "Seed";

    /// <summary>An expression for the current global step (<c>ulong</c>), which keys per-step random streams.</summary>
    public string Step => "(ulong)GlobalStep";
}
