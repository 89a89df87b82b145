using GraphCompiler.Compiler.IR;
using GraphCompiler.Runtime;

namespace GraphCompiler.EndToEnd.Tests;

/// <summary>How the agreement tests compare generated code with the reference interpreter: one tolerance for all.</summary>
internal static class Agreement
{
    /// <summary>float32 generated code against the interpreter's double precision: 1e-4 absolute plus 1e-4 relative.</summary>
    public static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4 + 1e-4 * Math.Abs(expected), $"{what}: interpreter {expected}, generated {actual}");

    /// <summary>Every variable the interpreter's step updated agrees with the model's, element by element.</summary>
    public static void AssertVariablesAgree(IModel model, IReadOnlyDictionary<string, RefTensor> reference, string when = "")
    {
        foreach (var (name, value) in reference)
        {
            var actual = model.AllVariables[name].ToDoubleArray();
            for (int i = 0; i < actual.Length; i++) AssertClose(value.Data[i], actual[i], $"{name}[{i}]{when}");
        }
    }
}
