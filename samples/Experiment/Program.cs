using System.CommandLine;
using Experiment;
using GraphCompiler.Samples;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Training;

// "Managing experiments": data through a tf.data-style pipeline, Fit with a progress bar,
// summaries in a timestamped run directory, checkpoints every 100 steps, and resume: run it twice
// and the second run continues from the latest checkpoint.
//   dotnet run --project samples/Experiment -c Release [-- <output folder, default runs> [steps, default 500]] [--smoke]
var folderArgument = new Argument<string>("folder") { Description = "Where the checkpoints and summaries go", DefaultValueFactory = _ => "runs" };
var stepsArgument = Validate.Text(new Argument<long>("steps") { Description = "Train up to this global step", DefaultValueFactory = _ => 500 },
    t => Validate.IntegerAtLeast(t, 1), "an integer ≥ 1");
return SampleProgram.Run(new RootCommand("Managing experiments: a dataset pipeline, Fit, summaries, checkpoints and resume") { folderArgument, stepsArgument, SampleProgram.Smoke }, args, parsed =>
{
    var root = parsed.GetValue(folderArgument)!;
    long steps = parsed.GetValue(stepsArgument);

    // 1000 points of y = 2x - 0.5 plus noise (seeded, so every run sees the same data).
    var rng = new Random(7);
    var x = new float[1000];
    var y = new float[1000];
    for (int i = 0; i < x.Length; i++)
    {
        x[i] = (float)(rng.NextDouble() * 2 - 1);
        y[i] = 2 * x[i] - 0.5f + (float)(rng.NextDouble() - 0.5) * 0.1f;
    }

    var model = new ExperimentModel(seed: 1);
    if (parsed.GetValue(SampleProgram.Smoke))
    {
        // One batch of the data the run would train on; nothing is written (no run directory, no checkpoint).
        model.Fit(Dataset.Zip(Dataset.FromTensorSlices(x, [x.Length]), Dataset.FromTensorSlices(y, [y.Length])).Batch(32, dropRemainder: true),
            learningRate: 0.1f, smokeTest: true);
        return ExitCodes.Success;
    }
    var checkpoints = new CheckpointCallback(model, Path.Combine(root, "checkpoints"), "linear", interval: 100);
    if (checkpoints.ResumeLatest() is { } step) Console.WriteLine($"resumed from {Saver_LatestName(checkpoints)} at step {step}");

    var run = RunDirectory.Create(Path.Combine(root, "logs"));
    using var writer = new SummaryWriter(run);
    GraphExport.Write(writer, model);
    model.SummarySink = writer;
    model.SummaryEvery = 10;

    var data = Dataset.Zip(Dataset.FromTensorSlices(x, [x.Length]), Dataset.FromTensorSlices(y, [y.Length]))
        .Shuffle(bufferSize: 1000, seed: (ulong)model.GlobalStep)
        .Repeat()
        .Batch(32, dropRemainder: true)
        .Prefetch(2);
    var result = Trainer.Fit(model, data, batch => model.TrainStep(batch.First.Span, batch.Second.Span, learningRate: 0.1f), new FitOptions
    {
        MaxSteps = steps,
        StepIncrementsGlobalStep = true,
        Callbacks = [checkpoints],
        LogInterval = 100,
    });

    Console.WriteLine($"W: {model.Variables.Linear.W} b: {model.Variables.Linear.B} loss: {ArrayFormat.FormatFloat(model.Loss(x, y))} global step: {model.GlobalStep}");
    Console.WriteLine($"summaries: {run} (tensorboard --logdir {Path.Combine(root, "logs")})");
    Console.WriteLine($"checkpoints: {string.Join(", ", checkpoints.Saved.Select(Path.GetFileName))}");
    return ExitCodes.Success;
});

static string Saver_LatestName(CheckpointCallback c) => Path.GetFileName(GraphCompiler.Runtime.Checkpoints.Saver.LatestCheckpoint(c.Directory) ?? "");
