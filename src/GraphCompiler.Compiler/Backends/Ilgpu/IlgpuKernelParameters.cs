using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Backends.Ilgpu;

/// <summary>
/// The parameter list of a generated ILGPU kernel: its buffer views (inputs, then outputs) and its int
/// dims. ILGPU's typed loaders take at most <see cref="MostParameters"/> parameters, so a kernel with
/// more (an LSTM cell's gates and their gradients, a wide fused train step) takes its views packed in a
/// generated struct of <c>ArrayView</c> fields, which ILGPU passes to the device as one argument, and
/// copies them back into locals of the usual names; a kernel within the limit is written as before. The
/// struct is public (hidden from completion): ILGPU's CPU accelerator emits a type that refers to it.
/// </summary>
internal sealed class IlgpuKernelParameters
{
    /// <summary>ILGPU's typed loaders take at most this many kernel parameters.</summary>
    public const int MostParameters = 14;

    private const string Packed = "packed";

    private readonly List<(string Name, string Type)> _views;
    private readonly List<string> _ints;
    private readonly string _method;
    private readonly string _structName;

    public IlgpuKernelParameters(IReadOnlyList<Node> inputs, IReadOnlyList<Node> outputs, IEnumerable<string> ints, string method)
    {
        _views = inputs.Select((n, j) => ($"in{j}", View(n)))
            .Concat(outputs.Select((n, j) => ($"out{j}", View(n)))).ToList();
        _ints = ints.ToList();
        _method = method;
        _structName = method + "Views";
        IsPacked = _views.Count + _ints.Count > MostParameters;
        if (IsPacked && 1 + _ints.Count > MostParameters) throw new NotSupportedException($"{method} has {_ints.Count} int parameters; ILGPU's kernel loaders take at most {MostParameters}");
    }

    /// <summary>Whether the views travel in one struct.</summary>
    public bool IsPacked { get; }

    private static string View(Node n) => $"ILGPU.ArrayView<{IlgpuKernelRenderer.DeviceType(n.DType)}>";

    private IEnumerable<(string Declaration, string Type)> All =>
        (IsPacked ? new[] { ($"{_structName} {Packed}", _structName) } : _views.Select(v => ($"{v.Type} {v.Name}", v.Type)))
        .Concat(_ints.Select(i => ($"int {i}", "int")));

    /// <summary>The kernel method's parameter declarations, comma separated.</summary>
    public string Declarations => string.Join(", ", All.Select(p => p.Declaration));

    /// <summary>The type arguments of the kernel's loader.</summary>
    public string Types => string.Join(", ", All.Select(p => p.Type));

    /// <summary>The launch's arguments from the views' and the ints' values, in declaration order.</summary>
    public string Arguments(IReadOnlyList<string> values)
    {
        if (!IsPacked) return string.Join(", ", values);
        var views = $"new {_structName}({string.Join(", ", values.Take(_views.Count))})";
        return string.Join(", ", values.Skip(_views.Count).Prepend(views));
    }

    /// <summary>The kernel's first statements: the views taken out of their struct (none when not packed).</summary>
    public IEnumerable<string> Unpack() =>
        IsPacked ? _views.Select(v => $"    var {v.Name} = {Packed}.{v.Name};") : Enumerable.Empty<string>();

    /// <summary>The struct holding the views, declared beside the kernel (empty when not packed).</summary>
    public IEnumerable<string> Struct()
    {
        if (!IsPacked) yield break;
        yield return $"/// <summary>The views of <c>{_method}</c>, packed: it has more buffers than ILGPU's kernel loaders take parameters.</summary>";
        yield return "[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]";
        yield return $"public readonly struct {_structName}";
        yield return "{";
        foreach (var v in _views) yield return $"    public readonly {v.Type} {v.Name};";
        yield return $"    public {_structName}({string.Join(", ", _views.Select(v => $"{v.Type} {v.Name}"))})";
        yield return "    {";
        foreach (var v in _views) yield return $"        this.{v.Name} = {v.Name};";
        yield return "    }";
        yield return "}";
    }
}
