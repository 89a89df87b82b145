using BenchmarkDotNet.Running;
using GraphCompiler.Generator.Benchmarks;

// dotnet run -c Release --project benchmarks/GraphCompiler.Generator.Benchmarks -- --filter '*Generator*'   (the driver, in process)
// dotnet run -c Release --project benchmarks/GraphCompiler.Generator.Benchmarks -- --filter '*DigitsBuild*' (dotnet build, minutes)
BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmark).Assembly).Run(args);
