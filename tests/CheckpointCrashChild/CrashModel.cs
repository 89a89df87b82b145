using GraphCompiler.Runtime;

namespace CheckpointCrashChild;

/// <summary>
/// The model the crash test saves: two large float variables and a small int64 one whose values are a
/// pure function of the step, so the test can tell exactly which save a checkpoint holds.
/// The test checks the values with its own copy of these formulas.
/// </summary>
public sealed class CrashModel : IModel
{
    private sealed class Set : VariableSet
    {
        public T Register<T>(T variable) where T : Variable => Add(variable);
    }

    private readonly Set _variables = new();

    public CrashModel(int elementsPerVariable)
    {
        Weights = _variables.Register(new Variable<float>("crash/weights", [elementsPerVariable]));
        Biases = _variables.Register(new Variable<float>("crash/biases", [elementsPerVariable / 4 + 1]));
        Ids = _variables.Register(new Variable<long>("crash/ids", [3]));
    }

    public Variable<float> Weights { get; }

    public Variable<float> Biases { get; }

    public Variable<long> Ids { get; }

    public VariableSet AllVariables => _variables;

    public long GlobalStep { get; set; }

    public ulong Seed => 0;

    /// <summary>Sets every value from <paramref name="step"/> (exact in float32 for steps below 2^20).</summary>
    public void FillForStep(long step)
    {
        GlobalStep = step;
        for (int i = 0; i < Weights.Data.Length; i++) Weights.Data[i] = step + (i % 977) * 0.5f;
        for (int i = 0; i < Biases.Data.Length; i++) Biases.Data[i] = -step - (i % 613);
        Ids.Data[0] = step;
        Ids.Data[1] = step * 2;
        Ids.Data[2] = step * 3;
    }

    /// <summary>The first index where the values differ from <see cref="FillForStep"/>(GlobalStep), or null when consistent.</summary>
    public string? FindInconsistency()
    {
        long step = GlobalStep;
        for (int i = 0; i < Weights.Data.Length; i++)
            if (Weights.Data[i] != step + (i % 977) * 0.5f) return $"crash/weights[{i}] = {Weights.Data[i]} does not belong to step {step}";
        for (int i = 0; i < Biases.Data.Length; i++)
            if (Biases.Data[i] != -step - (i % 613)) return $"crash/biases[{i}] = {Biases.Data[i]} does not belong to step {step}";
        if (Ids.Data[0] != step || Ids.Data[1] != step * 2 || Ids.Data[2] != step * 3)
            return $"crash/ids = [{string.Join(", ", Ids.Data)}] does not belong to step {step}";
        return null;
    }
}
