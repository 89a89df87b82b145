using Digits;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;

// A small MLP on the UCI handwritten digits (8×8, 1,797 samples): 80% train, 20% test.
//   dotnet run --project samples/Digits -c Release [-- epochs, default 30]
int epochs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 30;
var all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
var (train, test) = all.Split(trainCount: 1437, seed: 0);

var model = new DigitsModel(seed: 1);
var batches = Dataset.Zip(Dataset.FromTensorSlices(train.Images, [train.Count, 64]), Dataset.FromTensorSlices(train.Labels, [train.Count]))
    .Shuffle(bufferSize: train.Count, seed: 2)
    .Batch(32, dropRemainder: false);
Trainer.Fit(model, batches, b => model.TrainStep(b.First.Span, b.Second.Span, learningRate: 0.005f), new FitOptions
{
    Epochs = epochs,
    StepIncrementsGlobalStep = true,
    LogInterval = 0,
});

static double Accuracy(DigitsModel model, DigitsData data)
{
    var predicted = model.Predict(data.Images);
    int correct = 0;
    for (int i = 0; i < data.Count; i++) if (predicted.Data[i] == data.Labels[i]) correct++;
    return (double)correct / data.Count;
}
Console.WriteLine($"train accuracy: {Accuracy(model, train):P1}  test accuracy: {Accuracy(model, test):P1}  ({train.Count} train / {test.Count} test samples, {epochs} epochs)");
