using System.Security.Cryptography;
using GraphCompiler;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;
using static GraphCompiler.Ops;

// Usage: ResumeChild <checkpoint dir> <steps>. Trains <steps> more steps (resuming from the latest
// checkpoint in the directory if any), saves, and prints the global step and a hash of every
// variable's bytes. The batch of step k depends only on k, so a resumed run sees the same data.
var directory = args[0];
long steps = long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var model = new ResumeChild.Regressor(seed: 5);
var checkpoints = new CheckpointCallback(model, directory, "regressor", interval: 1_000_000);
checkpoints.ResumeLatest();

const int Batch = 8;
IEnumerable<(float[] X, float[] Y)> From(long step)
{
    for (long k = step; ; k++)
    {
        var rng = new Random((int)k);
        var x = new float[Batch * 3];
        var y = new float[Batch];
        for (int i = 0; i < Batch; i++)
        {
            for (int j = 0; j < 3; j++) x[i * 3 + j] = (float)rng.NextDouble() * 2 - 1;
            y[i] = 0.5f * x[i * 3] - 2f * x[i * 3 + 1] + x[i * 3 + 2] * x[i * 3 + 2];
        }
        yield return (x, y);
    }
}

long start = model.GlobalStep;
var data = Dataset.FromEnumerable(() => From(start)).Prefetch(4);
Trainer.Fit(model, data, b => model.TrainStep(b.X, b.Y, 0.05f), new FitOptions
{
    MaxSteps = steps,
    StepIncrementsGlobalStep = true,
    Callbacks = [checkpoints],
    LogInterval = 0,
    HandleCtrlC = false,
});

using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
foreach (var v in ((IModel)model).AllVariables) sha.AppendData(v.AsBytes());
Console.WriteLine($"global_step={model.GlobalStep} hash={Convert.ToHexString(sha.GetHashAndReset())}");

namespace ResumeChild
{
    [Model]
    public partial class Regressor
    {
        [Loss]
        static Tensor Loss([Shape("batch", 3)] Tensor x, [Shape("batch")] Tensor y)
        {
            Tensor h, prediction;
            using (NameScope("hidden"))
            {
                var w1 = Variable("weights", [3, 8], Init.RandomNormal(0f, 0.5f));
                var b1 = Variable("biases", [8], Init.Zeros());
                h = MatMul(x, w1) + b1;
            }
            using (NameScope("output"))
            {
                var w2 = Variable("weights", [8, 1], Init.GlorotUniform());
                prediction = Reshape(MatMul(h * h * 0.1f + h, w2), [-1]);
            }
            return ReduceMean(Square(prediction - y));
        }
    }
}
