namespace GraphCompiler.Compiler.IR;

/// <summary>
/// One dimension of a shape: a static size, or a named symbol (a placeholder's <c>None</c> with a
/// name, e.g. the batch size <c>n</c>) bound when an entry point is called.
/// </summary>
public readonly struct Dim : IEquatable<Dim>
{
    private Dim(int size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The static size, or -1 for a symbolic dimension.</summary>
    public int Size { get; }

    /// <summary>The symbol's name, or null for a static dimension.</summary>
    public string? Symbol { get; }

    public bool IsStatic => Symbol is null;

    public static Dim Of(int size)
    {
        if (size < 0) throw new ArgumentOutOfRangeException(nameof(size), "a static dimension is never negative");
        return new Dim(size, null);
    }

    public static Dim Sym(string symbol)
    {
        if (string.IsNullOrEmpty(symbol)) throw new ArgumentException("a symbolic dimension needs a name", nameof(symbol));
        return new Dim(-1, symbol);
    }

    public static implicit operator Dim(int size) => Of(size);

    public bool Equals(Dim other) => Size == other.Size && Symbol == other.Symbol;

    public override bool Equals(object? obj) => obj is Dim d && Equals(d);

    public override int GetHashCode() => Symbol is null ? Size : Symbol.GetHashCode();

    public static bool operator ==(Dim a, Dim b) => a.Equals(b);

    public static bool operator !=(Dim a, Dim b) => !a.Equals(b);

    public override string ToString() => Symbol ?? Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
