using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

// One model per optimizer setting: loss = Σ (w − target)², so ∂loss/∂w = 2(w − target).
// The frozen variable checks that non-trainable variables are never updated.

[Model(Optimizer = Optimizer.Momentum, Momentum = 0.5f)]
public partial class MomentumModel
{
    [Loss] static Tensor Loss([Shape(2)] Tensor target) => OptimizerModels.Quadratic(target);
}

[Model(Optimizer = Optimizer.Momentum, Momentum = 0.5f, UseNesterov = true)]
public partial class NesterovModel
{
    [Loss] static Tensor Loss([Shape(2)] Tensor target) => OptimizerModels.Quadratic(target);
}

[Model(Optimizer = Optimizer.Adam)]
public partial class AdamModel
{
    [Loss] static Tensor Loss([Shape(2)] Tensor target) => OptimizerModels.Quadratic(target);
}

[Model(Optimizer = Optimizer.AdamW, WeightDecay = 0.1f)]
public partial class AdamWModel
{
    [Loss] static Tensor Loss([Shape(2)] Tensor target) => OptimizerModels.Quadratic(target);
}

[Model(Optimizer = Optimizer.Adagrad)]
public partial class AdagradModel
{
    [Loss] static Tensor Loss([Shape(2)] Tensor target) => OptimizerModels.Quadratic(target);
}

[Model(Optimizer = Optimizer.RMSProp)]
public partial class RMSPropModel
{
    [Loss] static Tensor Loss([Shape(2)] Tensor target) => OptimizerModels.Quadratic(target);
}

[Model(Optimizer = Optimizer.GradientDescent, ClipGlobalNorm = 0.5f)]
public partial class ClippedModel
{
    [Loss] static Tensor Loss([Shape(2)] Tensor target) => OptimizerModels.Quadratic(target);
}

[Model(Schedule = LearningRateDecay.ExponentialDecay, DecaySteps = 2, DecayRate = 0.5f, Staircase = true, WarmupSteps = 1)]
public partial class DecayModel
{
    [Loss] static Tensor Loss([Shape(2)] Tensor target) => OptimizerModels.Quadratic(target);
}

[Model(Schedule = LearningRateDecay.PiecewiseConstant, Boundaries = [1], Values = [1f, 0.1f])]
public partial class PiecewiseModel
{
    [Loss] static Tensor Loss([Shape(2)] Tensor target) => OptimizerModels.Quadratic(target);
}

internal static class OptimizerModels
{
    public static Tensor Quadratic(Tensor target)
    {
        var w = Variable("w", [2], Init.Constant([1f, -2f]));
        var frozen = Variable("frozen", [2], Init.Constant(3f), trainable: false);
        return ReduceSum(Square(w - target)) + ReduceSum(Square(frozen - target));
    }
}
