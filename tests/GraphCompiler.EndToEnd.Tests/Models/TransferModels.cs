using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

// Transfer learning: PretrainModel learns task A with an encoder and a regression head; the fine-tune
// models reuse the encoder's shapes under "body" with a new two-output head under "classifier".

internal static class TransferLayers
{
    public static Tensor Dense(Tensor x, int inputs, int units, string scope)
    {
        using var _ = VariableScope(scope, Reuse.Auto);
        var kernel = GetVariable("kernel", [inputs, units], Init.RandomNormal(0f, 0.5f));
        var bias = GetVariable("bias", [units], Init.Zeros());
        return MatMul(x, kernel) + bias;
    }

    public static Tensor SquaredError(Tensor prediction, Tensor y) => ReduceMean(Square(prediction - y));
}

[Model(Optimizer = Optimizer.Adam)]
public partial class PretrainModel
{
    [Loss]
    static Tensor Loss([Shape("n", 4)] Tensor x, [Shape("n", 1)] Tensor y) =>
        TransferLayers.SquaredError(TransferLayers.Dense(Tanh(TransferLayers.Dense(x, 4, 6, "encoder")), 6, 1, "head"), y);
}

/// <summary>Body and classifier can each be frozen at run time; freezing both would train nothing.</summary>
[Model(Optimizer = Optimizer.Adam, Freezable = new[] { "body", "classifier" })]
public partial class FineTuneModel
{
    [Loss]
    static Tensor Loss([Shape("n", 4)] Tensor x, [Shape("n", 2)] Tensor y) =>
        TransferLayers.SquaredError(TransferLayers.Dense(Tanh(TransferLayers.Dense(x, 4, 6, "body")), 6, 2, "classifier"), y);
}

/// <summary>The same model with the body frozen at build time: it has no slots for the body at all.</summary>
[Model(Optimizer = Optimizer.Adam, Frozen = new[] { "body/" })]
public partial class FrozenBodyModel
{
    [Loss]
    static Tensor Loss([Shape("n", 4)] Tensor x, [Shape("n", 2)] Tensor y) =>
        TransferLayers.SquaredError(TransferLayers.Dense(Tanh(TransferLayers.Dense(x, 4, 6, "body")), 6, 2, "classifier"), y);
}
