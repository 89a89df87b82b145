namespace GraphCompiler.Runtime.Execution;

/// <summary>
/// Runs a variable's initializer as the generated constructor describes it (kind and arguments
/// from the IR's <c>InitSpec</c>). Random kinds draw from the counter-based RNG keyed by the
/// graph seed and the variable's op seed, so the same seed gives the same values everywhere.
/// </summary>
public static class VariableInit
{
    public static void Apply<T>(Span<T> data, ReadOnlySpan<int> shape, string kind, ReadOnlySpan<double> values, double a, double b, ulong graphSeed, ulong opSeed)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        switch (kind)
        {
            case "zeros":
                data.Clear();
                return;
            case "ones":
                data.Fill(T.One);
                return;
            case "constant":
                if (values.Length == 1) data.Fill(T.CreateChecked(values[0]));
                else if (values.Length == data.Length)
                    for (int i = 0; i < data.Length; i++) data[i] = T.CreateChecked(values[i]);
                else throw new ArgumentException($"a constant initializer with {values.Length} values cannot fill a variable of {data.Length} elements");
                return;
            default:
                RandomInit.Apply(data, shape, kind, a, b, graphSeed, opSeed);
                return;
        }
    }
}
