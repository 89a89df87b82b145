using BenchmarkDotNet.Running;
using GraphCompiler.Benchmarks.Compare;

// BenchmarkDotNet suites:  dotnet run -c Release --project benchmarks/GraphCompiler.Benchmarks -- --filter '*'
// Compare mode (medians per step, machine-readable, used by benchmarks/compare-pytorch.sh):
//                          dotnet run -c Release --project benchmarks/GraphCompiler.Benchmarks -- compare
// Where the two_hidden_layers step spends its time:  ... -- breakdown
if (args.Length > 0 && args[0] == "compare")
    return CompareMode.Run(args[1..]);
// Constant-dim against [Hyper]-dim train steps, in alternating rounds:  ... -- hyper [rounds]
if (args.Length > 0 && args[0] == "hyper")
    return HyperparameterRatio.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 41);
if (args.Length > 0 && args[0] == "breakdown")
    return TwoLayersBreakdown.Run(samples: 21);

BenchmarkSwitcher.FromAssembly(typeof(CompareMode).Assembly).Run(args);
return 0;
