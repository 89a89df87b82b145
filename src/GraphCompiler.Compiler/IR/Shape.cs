using System.Collections;

namespace GraphCompiler.Compiler.IR;

/// <summary>An immutable tensor shape: a list of static or symbolic dims. Rank 0 is a scalar.</summary>
public sealed class Shape : IEquatable<Shape>, IReadOnlyList<Dim>
{
    private readonly Dim[] _dims;

    public Shape(IEnumerable<Dim> dims) => _dims = dims.ToArray();

    public static Shape Scalar { get; } = new(Array.Empty<Dim>());

    public static Shape Of(params int[] dims) => new(dims.Select(Dim.Of));

    public static Shape Of(params Dim[] dims) => new(dims);

    public int Rank => _dims.Length;

    public int Count => _dims.Length;

    public Dim this[int index] => _dims[index];

    public bool IsStatic => _dims.All(d => d.IsStatic);

    /// <summary>Element count when every dim is static; throws otherwise.</summary>
    public long StaticElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in _dims)
            {
                if (!d.IsStatic) throw new InvalidOperationException($"shape {this} is not static");
                n *= d.Size;
            }
            return n;
        }
    }

    /// <summary>The symbols this shape mentions, in order of first appearance.</summary>
    public IEnumerable<string> Symbols => _dims.Where(d => !d.IsStatic).Select(d => d.Symbol!).Distinct();

    /// <summary>Binds symbols to sizes: the concrete dims of this shape for one call.</summary>
    public int[] Resolve(IReadOnlyDictionary<string, int> bindings)
    {
        var result = new int[_dims.Length];
        for (int i = 0; i < _dims.Length; i++)
        {
            var d = _dims[i];
            if (d.IsStatic) result[i] = d.Size;
            else if (bindings.TryGetValue(d.Symbol!, out var v)) result[i] = v;
            else throw new InvalidOperationException($"symbolic dimension '{d.Symbol}' is not bound");
        }
        return result;
    }

    public bool Equals(Shape? other) => other is not null && _dims.SequenceEqual(other._dims);

    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    public override int GetHashCode()
    {
        int h = _dims.Length;
        foreach (var d in _dims) h = unchecked(h * 31 + d.GetHashCode());
        return h;
    }

    public IEnumerator<Dim> GetEnumerator() => ((IEnumerable<Dim>)_dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    /// <summary>NumPy-like text, e.g. <c>[n, 100]</c>; a scalar is <c>[]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _dims.Select(d => d.ToString())) + "]";
}
