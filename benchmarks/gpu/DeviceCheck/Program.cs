using System.Globalization;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Benchmarks.Gpu;

// Usage: DeviceCheck [--device cuda|cuda:<n>|ilgpu-cpu] [--elements N] [--gemm M N K] [--mlp BATCH...] [--samples N] [--agree BATCH STEPS]
// --mlp times the generated MLP train step at each batch size (OURS lines, the median of --samples, default 31)
// instead of running the checks;
// --agree trains the MLP on the device and on the CPU path and compares them (a RESULT line) instead.
// Exit codes: 0 all checks agree, 1 a result disagrees with the host, 2 no such device or bad arguments.
var deviceText = "cuda";
long elements = 1L << 26;
int m = 1024, n = 1024, k = 1024;
var mlpBatches = new List<int>();
(int Batch, int Steps)? agree = null;
int samples = 31;
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
        case "--samples" when i + 1 < args.Length: samples = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--agree" when i + 2 < args.Length:
            agree = (int.Parse(args[++i], CultureInfo.InvariantCulture), int.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: DeviceCheck [--device {Device.Choices}] [--elements N] [--gemm M N K] [--mlp BATCH...] [--samples N] [--agree BATCH STEPS]");
            return 2;
    }
}

if (!Device.TryParse(deviceText, out var device) || !device.UsesIlgpu)
{
    Console.Error.WriteLine($"--device must name an ILGPU device (cuda, cuda:<n>, ilgpu-cpu); got '{deviceText}'");
    return 2;
}

if (mlpBatches.Count > 0 || agree is not null)
{
    try
    {
        foreach (var batch in mlpBatches) MlpTiming.Run(device, batch, samples);
        return agree is { } a && !AgreementCheck.Run(device, a.Batch, a.Steps) ? 1 : 0;
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
