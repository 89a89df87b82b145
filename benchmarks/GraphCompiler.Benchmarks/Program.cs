using BenchmarkDotNet.Running;
using GraphCompiler.Benchmarks.Compare;

// BenchmarkDotNet suites:  dotnet run -c Release --project benchmarks/GraphCompiler.Benchmarks -- --filter '*'
// Compare mode (medians per step, machine-readable, used by benchmarks/compare-pytorch.sh):
//                          dotnet run -c Release --project benchmarks/GraphCompiler.Benchmarks -- compare
if (args.Length > 0 && args[0] == "compare")
    return CompareMode.Run(args[1..]);

BenchmarkSwitcher.FromAssembly(typeof(CompareMode).Assembly).Run(args);
return 0;
