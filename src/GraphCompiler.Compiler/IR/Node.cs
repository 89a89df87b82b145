using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.IR;

/// <summary>
/// One IR node: an op applied to input nodes with attributes, producing one tensor of a known
/// dtype and shape. Immutable; passes build new nodes rather than edit old ones.
/// </summary>
public sealed class Node
{
    internal Node(int id, OpDef op, IReadOnlyList<Node> inputs, Attrs attrs, DType dtype, Shape shape, string name, SourceSpan? source)
    {
        Id = id;
        Op = op;
        Inputs = inputs;
        Attrs = attrs;
        DType = dtype;
        Shape = shape;
        Name = name;
        Source = source;
    }

    /// <summary>Unique within its graph; also the topological order of creation.</summary>
    public int Id { get; }

    public OpDef Op { get; }

    public string OpName => Op.Name;

    public IReadOnlyList<Node> Inputs { get; }

    public Attrs Attrs { get; }

    public DType DType { get; }

    public Shape Shape { get; }

    /// <summary>The scoped, unique name as TensorBoard shows it, e.g. <c>loss/mul_1</c>.</summary>
    public string Name { get; }

    /// <summary>Where in user code the node came from (for diagnostics), when known.</summary>
    public SourceSpan? Source { get; }

    public override string ToString() => $"%{Id} = {OpName}({string.Join(", ", Inputs.Select(i => "%" + i.Id))}){Attrs} : {DType.ShortName()}{Shape}";
}

/// <summary>A source location as plain data (no Roslyn types cross into the compiler).</summary>
public sealed record SourceSpan(string FilePath, int Start, int Length, int Line, int Column);
