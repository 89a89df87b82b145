using System.Globalization;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Benchmarks.Gpu;

// Usage: DeviceCheck [--device cuda|cuda:<n>|ilgpu-cpu] [--elements N] [--gemm M N K] [--mlp BATCH...]
// --mlp times the generated MLP train step at each batch size (OURS lines) instead of running the checks.
// Exit codes: 0 all checks agree, 1 a result disagrees with the host, 2 no such device or bad arguments.
var deviceText = "cuda";
long elements = 1L << 26;
int m = 1024, n = 1024, k = 1024;
var mlpBatches = new List<int>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--device" when i + 1 < args.Length: deviceText = args[++i]; break;
        case "--elements" when i + 1 < args.Length: elements = long.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--gemm" when i + 3 < args.Length:
            m = int.Parse(args[++i], CultureInfo.InvariantCulture);
            n = int.Parse(args[++i], CultureInfo.InvariantCulture);
            k = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--mlp":
            while (i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int batch)) { mlpBatches.Add(batch); i++; }
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: DeviceCheck [--device {Device.Choices}] [--elements N] [--gemm M N K]");
            return 2;
    }
}

if (!Device.TryParse(deviceText, out var device) || !device.UsesIlgpu)
{
    Console.Error.WriteLine($"--device must name an ILGPU device (cuda, cuda:<n>, ilgpu-cpu); got '{deviceText}'");
    return 2;
}

if (mlpBatches.Count > 0)
{
    try
    {
        foreach (var batch in mlpBatches) MlpTiming.Run(device, batch, samples: 31);
        return 0;
    }
    catch (DeviceUnavailableException error)
    {
        Console.Error.WriteLine(error.Message);
        return 2;
    }
}

DeviceContext context;
try
{
    context = DeviceContext.Open(device);
}
catch (DeviceUnavailableException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

using (context)
{
    Console.WriteLine($"device {device}: {context.Name} ({context.Accelerator.AcceleratorType}), {context.Accelerator.MemorySize / (1 << 20)} MiB, opened in {context.OpenTime.TotalMilliseconds:F0} ms");
    bool ok = GemmCheck.Run(context, m, n, k);
    ok &= BandwidthCheck.Run(context, elements);
    Console.WriteLine(context.Kernels.Report());
    Console.WriteLine(ok ? "all checks agree with the host" : "SOME CHECKS DISAGREE WITH THE HOST");
    return ok ? 0 : 1;
}
