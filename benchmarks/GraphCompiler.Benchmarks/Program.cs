using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/GraphCompiler.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
