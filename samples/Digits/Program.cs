using System.CommandLine;
using Digits;
using GraphCompiler.Samples;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;

// A small MLP on the UCI handwritten digits (8×8, 1,797 samples): 80% train, 20% test.
//   dotnet run --project samples/Digits -c Release [-- epochs, default 30] [--smoke]
var epochsArgument = Validate.Text(new Argument<int>("epochs") { Description = "Passes over the training images", DefaultValueFactory = _ => 30 },
    t => Validate.IntegerAtLeast(t, 1), "an integer ≥ 1");
return SampleProgram.Run(new RootCommand("A 64-64-10 MLP with Adam on the UCI handwritten digits") { epochsArgument, SampleProgram.Smoke }, args, parsed =>
{
    int epochs = parsed.GetValue(epochsArgument);
    var all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
    var (train, test) = all.Split(trainCount: 1437, seed: 0);

    var model = new DigitsModel(seed: 1);
    var history = model.Fit(Batches(train, shuffleSeed: 2), epochs, validationData: Batches(test), learningRate: 0.005f,
        metrics: [Metrics.Accuracy()], smokeTest: parsed.GetValue(SampleProgram.Smoke), verbose: false);
    if (history.SmokeTest is not null) return ExitCodes.Success;
    double trainAccuracy = model.Evaluate(Batches(train), [Metrics.Accuracy()])["accuracy"];
    Console.WriteLine($"train accuracy: {trainAccuracy:P1}  test accuracy: {history["val_accuracy"][^1]:P1}  ({train.Count} train / {test.Count} test samples, {epochs} epochs)");
    return ExitCodes.Success;
});

static Dataset<(Batch<float> First, Batch<int> Second)> Batches(DigitsData data, ulong? shuffleSeed = null)
{
    var examples = Dataset.Zip(Dataset.FromTensorSlices(data.Images, [data.Count, 64]), Dataset.FromTensorSlices(data.Labels, [data.Count]));
    return (shuffleSeed is ulong seed ? examples.Shuffle(bufferSize: data.Count, seed: seed) : examples).Batch(32, dropRemainder: false);
}
