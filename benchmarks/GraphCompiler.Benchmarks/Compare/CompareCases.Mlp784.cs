using GraphCompiler.Benchmarks.Suites;

namespace GraphCompiler.Benchmarks.Compare;

public static partial class CompareCases
{
    static partial void AddMlp784(List<CompareCase> cases) => cases.Add(Mlp784Case.Create());
}
