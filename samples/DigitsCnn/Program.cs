using System.CommandLine;
using System.Diagnostics;
using Digits;
using DigitsCnn;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Devices;
using GraphCompiler.Runtime.Pruning;
using GraphCompiler.Runtime.Training;
using GraphCompiler.Samples;

// A small CNN on the UCI handwritten digits (8×8, 1,797 samples; 80% train, 20% test), Adam 1e-3, batch 32:
// plain, with batch normalization, and magnitude-pruned to 0/50/80/90 % sparsity. Prints test accuracy
// and the time of the training epochs.
//   dotnet run --project samples/DigitsCnn -c Release [-- epochs, default 10] [--smoke] [--device cpu|cuda|ilgpu-cpu]
// On a device, the plain and batch-normalized networks train there; pruning (its masks are set on the host) stays on the CPU.
var epochsArgument = Validate.Text(new Argument<int>("epochs") { Description = "Passes over the training images", DefaultValueFactory = _ => 10 },
    t => Validate.IntegerAtLeast(t, 1), "an integer ≥ 1");
var deviceOption = DeviceOption.Create();
return SampleProgram.Run(new RootCommand("Conv(3×3,16) → ReLU → MaxPool(2) → Dense(10) on the UCI digits") { epochsArgument, SampleProgram.Smoke, deviceOption }, args, parsed =>
{
    int epochs = parsed.GetValue(epochsArgument);
    var device = parsed.GetValue(deviceOption)!;
    var all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
    var (train, test) = all.Split(trainCount: 1437, seed: 0);

    var batches = Dataset.Zip(Dataset.FromTensorSlices(train.Images, [train.Count, 64]), Dataset.FromTensorSlices(train.Labels, [train.Count]))
        .Shuffle(bufferSize: train.Count, seed: 2)
        .Batch(32, dropRemainder: false);

    if (parsed.GetValue(SampleProgram.Smoke))
    {
        // One step and 50 steps of overfitting one batch, for the plain and the batch-normalized network.
        var cnn = new DigitsCnnModel(seed: 1, device);
        using (new DeviceRelease(cnn)) cnn.Fit(batches, learningRate: 1e-3f, smokeTest: true);
        var bn = new DigitsCnnBatchNormModel(seed: 1, device);
        using (new DeviceRelease(bn)) bn.Fit(batches, learningRate: 1e-3f, smokeTest: true);
        return ExitCodes.Success;
    }

    if (device.UsesIlgpu) Console.WriteLine($"device: {device} (the plain and batch-normalized networks; pruning runs on the CPU)");
    var plain = new DigitsCnnModel(seed: 1, device);
    using (new DeviceRelease(plain))
    {
        var seconds = Train(plain, batches, epochs, b => plain.TrainStep(b.First.Span, b.Second.Span, learningRate: 1e-3f));
        Report("cnn", Accuracy(plain.Predict(test.Images).Data, test), seconds, epochs);
    }

    var normalized = new DigitsCnnBatchNormModel(seed: 1, device);
    using (new DeviceRelease(normalized))
    {
        var seconds = Train(normalized, batches, epochs, b => normalized.TrainStep(b.First.Span, b.Second.Span, learningRate: 1e-3f));
        Report("cnn+batchnorm", Accuracy(normalized.Predict(test.Images).Data, test), seconds, epochs);
    }

    // Magnitude pruning while training: dense training for the first 30 % of the steps, then sparsity rises
    // from 0 to the target until 70 % (masks recomputed every 10 steps), and the rest fine-tunes the pruned network.
    long steps = epochs * (long)Math.Ceiling(train.Count / 32.0);
    long begin = steps * 3 / 10, end = begin + Math.Max(10, (steps * 7 / 10 - begin) / 10 * 10);
    foreach (var target in new[] { 0.0, 0.5, 0.8, 0.9 })
    {
        var pruned = new DigitsCnnPrunedModel(seed: 1);
        var pruning = new MagnitudePruning(pruned, new PolynomialDecay(0, target, BeginStep: begin, EndStep: end, Frequency: 10));
        var clock = Stopwatch.StartNew();
        Trainer.Fit(pruned, batches, b => pruned.TrainStep(b.First.Span, b.Second.Span, learningRate: 1e-3f), new FitOptions
        {
            Epochs = epochs,
            StepIncrementsGlobalStep = true,
            LogInterval = 0,
            Callbacks = [pruning],
        });
        var sparsities = string.Join(", ", pruning.PrunedVariables.Select(v => $"{v} {pruning.Sparsity(v) * 100:F0} %"));
        Report($"cnn pruned to {target * 100:F0} % ({sparsities})", Accuracy(pruned.Predict(test.Images).Data, test), clock.Elapsed.TotalSeconds, epochs);
    }
    return ExitCodes.Success;
});

static double Train<TBatch>(IModel model, Dataset<TBatch> batches, int epochs, Func<TBatch, float> step)
{
    var clock = Stopwatch.StartNew();
    Trainer.Fit(model, batches, step, new FitOptions
    {
        Epochs = epochs,
        StepIncrementsGlobalStep = true,
        LogInterval = 0,
    });
    return clock.Elapsed.TotalSeconds;
}

static void Report(string name, double accuracy, double seconds, int epochs) =>
    Console.WriteLine($"{name}: test accuracy: {accuracy * 100:F1} %  ({epochs} epochs in {seconds:F2} s)");

static double Accuracy(long[] predicted, DigitsData data)
{
    int correct = 0;
    for (int i = 0; i < data.Count; i++) if (predicted[i] == data.Labels[i]) correct++;
    return (double)correct / data.Count;
}

/// <summary>When a model on a device is done: prints the device's one-off costs (opening it, loading each kernel) and frees it.</summary>
sealed class DeviceRelease(IDeviceResident model) : IDisposable
{
    public void Dispose()
    {
        if (model.DeviceProgram is not { } program) return;
        Console.WriteLine(program.Report());
        program.Dispose();
    }
}
