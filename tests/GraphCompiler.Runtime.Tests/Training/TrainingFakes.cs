using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

/// <summary>A model with no variables: the training loop only needs its global step.</summary>
internal sealed class FakeModel : IModel
{
    public VariableSet AllVariables { get; } = new();

    public long GlobalStep { get; set; }

    public ulong Seed => 1;
}

/// <summary>A clock that moves only when told, so rates and ETAs are exact.</summary>
internal sealed class ManualTime : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}

/// <summary>Records every callback event as text, in order.</summary>
internal sealed class RecordingCallback(string name, List<string> log) : ITrainingCallback
{
    public Func<long, bool> StopAtStep { get; init; } = _ => false;

    public void OnTrainBegin(TrainingContext context) => log.Add($"{name}:begin@{context.Model.GlobalStep}");

    public bool OnStepEnd(long step, float loss)
    {
        log.Add($"{name}:step{step}");
        return StopAtStep(step);
    }

    public bool OnEpochEnd(int epoch, EpochMetrics metrics)
    {
        log.Add($"{name}:epoch{epoch}({metrics.Steps} steps)");
        return false;
    }

    public void OnInterrupt(long step) => log.Add($"{name}:interrupt@{step}");

    public void OnTrainEnd(FitResult result) => log.Add($"{name}:end@{result.GlobalStep}");
}
