using System.CommandLine;
using Digits;
using GraphCompiler.Samples;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;

// A small MLP on the UCI handwritten digits (8×8, 1,797 samples): 80% train, 20% test.
//   dotnet run --project samples/Digits -c Release [-- epochs, default 30] [--device cpu|cuda|ilgpu-cpu]
var epochsArgument = Validate.Text(new Argument<int>("epochs") { Description = "Passes over the training images", DefaultValueFactory = _ => 30 },
    t => Validate.IntegerAtLeast(t, 1), "an integer ≥ 1");
var deviceOption = DeviceOption.Create();
return SampleProgram.Run(new RootCommand("A 64-64-10 MLP with Adam on the UCI handwritten digits") { epochsArgument, deviceOption }, args, parsed =>
{
    int epochs = parsed.GetValue(epochsArgument);
    var device = parsed.GetValue(deviceOption)!;
    var all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
    var (train, test) = all.Split(trainCount: 1437, seed: 0);

    var model = new DigitsModel(seed: 1, device);
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var batches = Dataset.Zip(Dataset.FromTensorSlices(train.Images, [train.Count, 64]), Dataset.FromTensorSlices(train.Labels, [train.Count]))
        .Shuffle(bufferSize: train.Count, seed: 2)
        .Batch(32, dropRemainder: false);
    Trainer.Fit(model, batches, b => model.TrainStep(b.First.Span, b.Second.Span, learningRate: 0.005f), new FitOptions
    {
        Epochs = epochs,
        StepIncrementsGlobalStep = true,
        LogInterval = 0,
    });
    Console.WriteLine($"train accuracy: {Accuracy(model, train):P1}  test accuracy: {Accuracy(model, test):P1}  ({train.Count} train / {test.Count} test samples, {epochs} epochs, device {device}, {clock.Elapsed.TotalSeconds:F1} s)");
    if (model.DeviceProgram is { } program)
    {
        Console.WriteLine(program.Report());
        program.Dispose();
    }
    return ExitCodes.Success;
});

static double Accuracy(DigitsModel model, DigitsData data)
{
    var predicted = model.Predict(data.Images);
    int correct = 0;
    for (int i = 0; i < data.Count; i++) if (predicted.Data[i] == data.Labels[i]) correct++;
    return (double)correct / data.Count;
}
