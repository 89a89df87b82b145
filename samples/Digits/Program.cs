using System.CommandLine;
using Digits;
using GraphCompiler.Samples;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;

// A small MLP on the UCI handwritten digits (8×8, 1,797 samples): 80% train, 20% test.
//   dotnet run --project samples/Digits -c Release [-- epochs, default 30] [--smoke] [--device cpu|cuda|ilgpu-cpu]
var epochsArgument = Validate.Text(new Argument<int>("epochs") { Description = "Passes over the training images", DefaultValueFactory = _ => 30 },
    t => Validate.IntegerAtLeast(t, 1), "an integer ≥ 1");
// Data-parallel over MPI: mpirun -np 2 dotnet Digits.dll --distributed [--steps N --batch B --model digits|mlp784 ...]
var distributed = new Option<bool>("--distributed") { Description = "Data-parallel training over MPI (start with mpirun -np N); trains --steps global steps of --batch" };
var model = new Option<string>("--model") { Description = "With --distributed: digits (64-64-10) or mlp784 (784-512-512-10 on synthetic data, for timing)", DefaultValueFactory = _ => "digits" };
var steps = Validate.AtLeast(new Option<int>("--steps") { Description = "With --distributed: the global step to train to", DefaultValueFactory = _ => 300 }, 1);
var batch = Validate.AtLeast(new Option<int>("--batch") { Description = "With --distributed: the global batch, split evenly over the ranks", DefaultValueFactory = _ => 64 }, 1);
var learningRate = new Option<float>("--learning-rate") { Description = "With --distributed: Adam's learning rate", DefaultValueFactory = _ => 0.005f };
var logDir = new Option<string>("--logdir") { Description = "With --distributed: checkpoints, summaries and the ranks' pid files", DefaultValueFactory = _ => Path.Combine("runs", "digits") };
var checkpointEvery = Validate.AtLeast(new Option<int>("--checkpoint-every") { Description = "With --distributed: rank 0 saves a checkpoint every N global steps (0: only at the end)", DefaultValueFactory = _ => 100 }, 0);
var resume = new Option<bool>("--resume") { Description = "With --distributed: continue from the latest checkpoint in --logdir (any number of ranks)" };
var timeout = Validate.AtLeast(new Option<int>("--collective-timeout") { Description = "With --distributed: seconds a rank waits in one all-reduce for the others before it exits with an error", DefaultValueFactory = _ => 60 }, 1);
var checkReplicas = new Option<bool>("--check-replicas") { Description = "With --distributed: check after every step that all replicas are bit-identical" };
var logEvery = Validate.AtLeast(new Option<int>("--log-every") { Description = "With --distributed: rank 0 prints the loss every N steps (0: never)", DefaultValueFactory = _ => 50 }, 0);
var timeCommunication = new Option<bool>("--time-communication") { Description = "With --distributed --no-overlap: a barrier before each all-reduce, so that the reported all-reduce time is the communication alone (for benchmarks)" };
var noOverlap = new Option<bool>("--no-overlap") { Description = "With --distributed: all-reduce the gradients after the backward pass instead of starting each bucket as the backward completes it (same results, for comparison)" };
var deviceOption = DeviceOption.Create();
var root = new RootCommand("A 64-64-10 MLP with Adam on the UCI handwritten digits") { epochsArgument, SampleProgram.Smoke, deviceOption, distributed, model, steps, batch, learningRate, logDir, checkpointEvery, resume, timeout, checkReplicas, logEvery, timeCommunication, noOverlap };
return SampleProgram.Run(root, args, parsed =>
{
    DigitsData LoadTrain() => DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz")).Split(trainCount: 1437, seed: 0).Train;
    if (parsed.GetValue(distributed))
        return DistributedTraining.Run(new DistributedOptions(parsed.GetValue(model)!, parsed.GetValue(steps), parsed.GetValue(batch), parsed.GetValue(learningRate),
            parsed.GetValue(logDir)!, parsed.GetValue(checkpointEvery), parsed.GetValue(resume), parsed.GetValue(timeout), parsed.GetValue(checkReplicas), parsed.GetValue(logEvery), parsed.GetValue(timeCommunication), !parsed.GetValue(noOverlap)), LoadTrain);
    int epochs = parsed.GetValue(epochsArgument);
    var device = parsed.GetValue(deviceOption)!;
    var all = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"));
    var (train, test) = all.Split(trainCount: 1437, seed: 0);

    var digits = new DigitsModel(seed: 1, device);
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var history = digits.Fit(Batches(train, shuffleSeed: 2), epochs, validationData: Batches(test), learningRate: 0.005f,
        metrics: [Metrics.Accuracy()], smokeTest: parsed.GetValue(SampleProgram.Smoke), verbose: false);
    if (history.SmokeTest is not null) return ExitCodes.Success;
    double trainAccuracy = digits.Evaluate(Batches(train), [Metrics.Accuracy()])["accuracy"];
    Console.WriteLine($"train accuracy: {trainAccuracy:P1}  test accuracy: {history["val_accuracy"][^1]:P1}  ({train.Count} train / {test.Count} test samples, {epochs} epochs, device {device}, {clock.Elapsed.TotalSeconds:F1} s)");
    if (digits.DeviceProgram is { } program)
    {
        Console.WriteLine(program.Report());
        program.Dispose();
    }
    return ExitCodes.Success;
});

static Dataset<(Batch<float> First, Batch<int> Second)> Batches(DigitsData data, ulong? shuffleSeed = null)
{
    var examples = Dataset.Zip(Dataset.FromTensorSlices(data.Images, [data.Count, 64]), Dataset.FromTensorSlices(data.Labels, [data.Count]));
    return (shuffleSeed is ulong seed ? examples.Shuffle(bufferSize: data.Count, seed: seed) : examples).Batch(32, dropRemainder: false);
}
