using System.Diagnostics;
using System.Globalization;
using GraphCompiler.Runtime.Data;

namespace GraphCompiler.Runtime.Training;

/// <summary>One trainable variable's gradient as the smoke test measured it.</summary>
/// <param name="Name">The variable's full name.</param>
/// <param name="Shape">Its shape as text.</param>
/// <param name="Norm">‖w_before − w_after‖₂ / learning rate over one step (see <see cref="SmokeTestReport.GradientsAreExact"/>).</param>
/// <param name="IsZero">The step did not change the variable: the loss does not depend on it on this batch (or its gradient is below float32 resolution at its scale).</param>
/// <param name="IsNonFinite">The step left NaN or infinity in it.</param>
public sealed record VariableGradient(string Name, string Shape, double Norm, bool IsZero, bool IsNonFinite);

/// <summary>What <see cref="SmokeTests.SmokeTest"/> found: "look at the loss over one iteration before running the full model".</summary>
public sealed class SmokeTestReport
{
    internal SmokeTestReport(int batchSize, float firstLoss, TimeSpan firstStep, TimeSpan laterStep, IReadOnlyList<VariableGradient> gradients,
        bool exact, float learningRate, float lossBefore, float lossAfter, int steps, double minDecrease)
    {
        BatchSize = batchSize;
        FirstLoss = firstLoss;
        FirstStepTime = firstStep;
        LaterStepTime = laterStep;
        Gradients = gradients;
        GradientsAreExact = exact;
        LearningRate = learningRate;
        LossBefore = lossBefore;
        LossAfter = lossAfter;
        OverfitSteps = steps;
        MinRelativeDecrease = minDecrease;
    }

    /// <summary>Examples in the batch.</summary>
    public int BatchSize { get; }

    /// <summary>The loss the first train step returned.</summary>
    public float FirstLoss { get; }

    /// <summary>The first step's wall time (it includes one-time work: JIT compilation, arena allocation).</summary>
    public TimeSpan FirstStepTime { get; }

    /// <summary>The median wall time of the overfitting steps.</summary>
    public TimeSpan LaterStepTime { get; }

    /// <summary>Every trainable variable's gradient, in the model's order.</summary>
    public IReadOnlyList<VariableGradient> Gradients { get; }

    /// <summary>
    /// True for plain gradient descent, where one step moves a variable by exactly learning rate × gradient
    /// (the clipped gradient when the model clips), so <see cref="VariableGradient.Norm"/> is the gradient's norm;
    /// for other optimizers it is the norm of the first update ÷ the learning rate (for Adam about √elements),
    /// though a zero or non-finite gradient still shows as such.
    /// </summary>
    public bool GradientsAreExact { get; }

    /// <summary>The learning rate of the overfitting steps.</summary>
    public float LearningRate { get; }

    /// <summary>The batch's loss (inference: no dropout) before overfitting.</summary>
    public float LossBefore { get; }

    /// <summary>The batch's loss (inference) after <see cref="OverfitSteps"/> steps on it.</summary>
    public float LossAfter { get; }

    /// <summary>The train steps taken on the one batch.</summary>
    public int OverfitSteps { get; }

    /// <summary>The fraction of <see cref="LossBefore"/> the loss must lose for <see cref="LossFell"/>.</summary>
    public double MinRelativeDecrease { get; }

    /// <summary>Whether overfitting the batch lowered its loss by at least <see cref="MinRelativeDecrease"/>.</summary>
    public bool LossFell => float.IsFinite(LossAfter) && LossAfter < LossBefore - MinRelativeDecrease * Math.Abs(LossBefore);

    /// <summary>The variables the step did not move, by name.</summary>
    public IEnumerable<string> ZeroGradients => Gradients.Where(g => g.IsZero).Select(g => g.Name);

    /// <summary>The variables the step filled with NaN or infinity, by name.</summary>
    public IEnumerable<string> NonFiniteGradients => Gradients.Where(g => g.IsNonFinite).Select(g => g.Name);

    /// <summary>The loss fell, and every trainable variable got a finite, non-zero gradient.</summary>
    public bool Passed => LossFell && !ZeroGradients.Any() && !NonFiniteGradients.Any() && float.IsFinite(FirstLoss);

    /// <summary>Why it failed, in one line; empty when it passed.</summary>
    public string Failure => string.Join("; ", new[]
    {
        float.IsFinite(FirstLoss) ? null : $"the first loss is {Number(FirstLoss)}",
        LossFell ? null : $"the loss did not fall while overfitting one batch for {OverfitSteps} steps at learning rate {Number(LearningRate)} ({Number(LossBefore)} → {Number(LossAfter)})",
        ZeroGradients.Any() ? "zero gradient for " + string.Join(", ", ZeroGradients) : null,
        NonFiniteGradients.Any() ? "non-finite gradient for " + string.Join(", ", NonFiniteGradients) : null,
    }.Where(s => s is not null));

    /// <summary>Writes the report: the loss, each variable's gradient norm with flags, the step times, the overfitting result.</summary>
    public void Write(TextWriter output)
    {
        output.WriteLine($"smoke test: one train step on one batch of {BatchSize} examples");
        output.WriteLine($"  loss {Number(FirstLoss)}{(float.IsFinite(FirstLoss) ? "" : "  <- NOT FINITE")}");
        output.WriteLine($"  step time {Milliseconds(FirstStepTime)} (first, with one-time work), {Milliseconds(LaterStepTime)} (median of the next {OverfitSteps})");
        output.WriteLine(GradientsAreExact
            ? "  gradient norms (‖w_before − w_after‖ / learning rate of one gradient-descent step):"
            : "  gradient norms, approximate (‖first update‖ / learning rate; exact only for GradientDescent):");
        int width = Gradients.Count == 0 ? 0 : Gradients.Max(g => g.Name.Length + 1 + g.Shape.Length);
        foreach (var g in Gradients)
        {
            var flag = g.IsNonFinite ? "  <- NON-FINITE gradient" : g.IsZero ? "  <- ZERO gradient: the loss does not reach this variable on this batch" : "";
            output.WriteLine($"    {(g.Name + " " + g.Shape).PadRight(width)}  {Number(g.Norm)}{flag}");
        }
        output.WriteLine($"  overfitting this batch for {OverfitSteps} steps at learning rate {Number(LearningRate)}: loss {Number(LossBefore)} → {Number(LossAfter)} ({(LossFell ? "fell" : "did NOT fall")})");
        output.WriteLine(Passed ? "smoke test passed" : "smoke test FAILED: " + Failure);
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Milliseconds(TimeSpan t) => t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}

/// <summary>Thrown by <c>Fit(..., smokeTest: true)</c> when the smoke test failed; <see cref="Report"/> says how.</summary>
public sealed class SmokeTestFailedException(SmokeTestReport report) : Exception("smoke test failed: " + report.Failure)
{
    /// <summary>The full report.</summary>
    public SmokeTestReport Report { get; } = report;
}

/// <summary>The smoke test of any generated model.</summary>
public static class SmokeTests
{
    /// <summary>
    /// Checks that a model can learn before the full run: on the first batch of <paramref name="data"/>, one train
    /// step gives the loss, its time and every trainable variable's gradient norm, measured from the change the step
    /// makes (<c>(w_before − w_after) / learningRate</c>, exact for gradient descent: see
    /// <see cref="SmokeTestReport.GradientsAreExact"/>), flagging zero and non-finite gradients by name. Then
    /// <paramref name="steps"/> steps on that batch at <paramref name="learningRate"/> must lower its loss by
    /// <paramref name="minRelativeDecrease"/>. The model's variables, optimizer slots and global step are put back
    /// afterwards, so it can be trained from where it was. The gradient step uses <paramref name="learningRate"/>, or
    /// 1e-3 when that is not positive (a rate of 0 moves nothing, and then the loss cannot fall).
    /// </summary>
    public static SmokeTestReport SmokeTest<TBatch>(this IFitModel<TBatch> model, Dataset<TBatch> data, float learningRate, int steps = 50, double minRelativeDecrease = 0.01)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "SmokeTest: steps must be at least 1");
        using var batches = data.GetEnumerator();
        if (!batches.MoveNext()) throw new InvalidOperationException("SmokeTest: the dataset produced no batches");
        var batch = batches.Current;
        // A model on a device keeps its variables there: the host copies are read and written around each use.
        var device = (model as Devices.IDeviceResident)?.DeviceProgram;
        device?.CopyVariablesToHost();
        var saved = model.AllVariables.Select(v => v.AsBytes().ToArray()).ToList();
        long globalStep = model.GlobalStep;
        try
        {
            float probe = learningRate > 0 ? learningRate : 1e-3f;
            var clock = Stopwatch.StartNew();
            float firstLoss = model.TrainOn(batch, probe);
            var firstStep = clock.Elapsed;
            device?.CopyVariablesToHost();
            var gradients = Gradients(model, saved, probe);
            Restore(model, saved, globalStep);

            float before = model.LossOn(batch);
            var times = new double[steps];
            for (int i = 0; i < steps; i++)
            {
                clock.Restart();
                model.TrainOn(batch, learningRate);
                times[i] = clock.Elapsed.TotalMilliseconds;
            }
            float after = model.LossOn(batch);
            Array.Sort(times);
            return new SmokeTestReport(model.BatchSize(batch), firstLoss, firstStep, TimeSpan.FromMilliseconds(times[steps / 2]), gradients,
                model.OptimizerName == "gradient_descent", learningRate, before, after, steps, minRelativeDecrease);
        }
        finally
        {
            Restore(model, saved, globalStep);
            BatchOwnership.Release(batch);
        }
    }

    private static List<VariableGradient> Gradients(IModel model, List<byte[]> saved, float learningRate)
    {
        var result = new List<VariableGradient>();
        for (int i = 0; i < model.AllVariables.Count; i++)
        {
            if (model.AllVariables[i] is not Variable<float> { Trainable: true } v) continue;
            var before = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(saved[i]);
            double sum = 0;
            bool nonFinite = false, moved = false;
            for (int j = 0; j < before.Length; j++)
            {
                float now = v.Data[j];
                nonFinite |= !float.IsFinite(now);
                double delta = (double)before[j] - now;
                moved |= delta != 0;
                sum += delta * delta;
            }
            result.Add(new VariableGradient(v.Name, v.ShapeText, nonFinite ? double.NaN : Math.Sqrt(sum) / learningRate, !moved && !nonFinite, nonFinite));
        }
        return result;
    }

    private static void Restore(IModel model, List<byte[]> saved, long globalStep)
    {
        for (int i = 0; i < saved.Count; i++) saved[i].CopyTo(model.AllVariables[i].AsBytes());
        (model as Devices.IDeviceResident)?.DeviceProgram?.CopyVariablesToDevice();
        model.GlobalStep = globalStep;
    }
}
