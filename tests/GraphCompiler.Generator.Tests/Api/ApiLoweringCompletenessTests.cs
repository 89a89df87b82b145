using System.Reflection;
using System.Text;
using GraphCompiler.Generator.Tests.Harness;

namespace GraphCompiler.Generator.Tests.Api;

/// <summary>
/// Every public member of the model-code API (<c>Ops</c>, <c>Init</c>, <c>Summary</c>, <c>Layers</c>) has a lowering
/// entry in the generator. A method added to the API without one would reach users as GC0107 ("not a
/// GraphCompiler op"); here it fails a test instead. Each method is called, with plausible arguments for
/// its required parameters, from a model of its own, so one method's shape or dtype error (which these
/// arguments may well cause) cannot hide another's missing entry: only GC0107 and GC0900 count.
/// </summary>
public class ApiLoweringCompletenessTests
{
    private static readonly Type[] ApiTypes = [typeof(Ops), typeof(Init), typeof(Summary), typeof(Layers)];

    public static IEnumerable<MethodInfo> ApiMethods() => ApiTypes
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => !m.IsSpecialName);

    [Fact]
    public void EveryApiMethodHasALoweringEntry()
    {
        var methods = ApiMethods().ToList();
        Assert.True(methods.Count > 100, $"expected the whole API, found {methods.Count} methods");

        var source = new StringBuilder("using GraphCompiler;\n\n");
        for (int i = 0; i < methods.Count; i++)
            source.Append(ModelCalling(methods[i], $"Calls{i}"));
        var run = GeneratorHarness.Run(source.ToString());

        var missing = run.GeneratorDiagnostics
            .Where(d => d.Id is "GC0107" or "GC0900")
            .Select(d => $"{d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
        Assert.True(missing.Count == 0, "API methods without a lowering entry:\n" + string.Join("\n", missing));
        // The check can fail: every model was lowered far enough to reach its call.
        Assert.Equal(methods.Count, run.Specs.Count);
    }

    [Fact]
    public void AMethodOutsideTheApiIsReportedAsUnknown()
    {
        // The same shape of model calling a method that is no op gives GC0107, so the check above has teeth.
        var run = GeneratorHarness.Run("""
            using GraphCompiler;
            [Model] public partial class M
            {
                static Tensor F([Shape(4, 4)] Tensor x) { var r = System.Linq.Enumerable.Repeat(x, 2); return x; }
            }
            """);
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "GC0107");
    }

    private static string ModelCalling(MethodInfo method, string className)
    {
        var args = method.GetParameters().Where(p => !p.HasDefaultValue).Select(p => Argument(p, method));
        var call = $"{method.DeclaringType!.FullName}.{method.Name}({string.Join(", ", args)})";
        var statement =
            method.ReturnType == typeof(void) ? call + ";"
            : method.ReturnType.Name.EndsWith("ScopeContext", StringComparison.Ordinal) ? $"using var scope = {call};"
            : $"var result = {call};";
        return $$"""
            [Model] public partial class {{className}}
            {
                static Tensor F([Shape(4, 4)] Tensor x)
                {
                    {{statement}}
                    return x;
                }
            }

            """;
    }

    /// <summary>A plausible argument of each parameter type the API uses; a new type fails the test until it is added here.</summary>
    private static string Argument(ParameterInfo p, MethodInfo method)
    {
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        if (type == typeof(Tensor)) return "x";
        if (type == typeof(Tensor[])) return "[x, x]";
        if (type == typeof(int)) return "1";
        if (type == typeof(float)) return "1f";
        if (type == typeof(double)) return "1.0";
        if (type == typeof(bool)) return "false";
        if (type == typeof(string)) return "\"name\"";
        if (type == typeof(int[])) return "[1]";
        if (type == typeof(int[][])) return "[[0, 0], [0, 0]]";
        if (type == typeof(float[])) return "[1f]";
        if (type == typeof(DType)) return "DType.Float32";
        if (type == typeof(Reuse)) return "Reuse.Auto";
        if (type == typeof(Initializer)) return "Init.Zeros()";
        throw new InvalidOperationException($"{method.DeclaringType!.Name}.{method.Name}: no sample argument for parameter '{p.Name}' of type {p.ParameterType}; add one to {nameof(Argument)}");
    }
}
