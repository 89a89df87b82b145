using System.Globalization;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Random;
using GraphCompiler.Compiler.Reference;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Inverted dropout (<c>tf.nn.dropout</c>): in the train step y = x · m / keep with keep = 1 − <c>rate</c>
/// and m ∈ {0, 1} drawn per element; in every other entry point y = x. The mask is counter-based:
/// element i is kept when value i of the Philox stream keyed by (graph seed, op <c>seed</c>, global
/// step) — see <see cref="PhiloxKey"/> — as a float u = ⌊w/2⁸⌋·2⁻²⁴ satisfies u &lt; (float)keep. So a
/// run is a pure function of the seeds and the step, and the interpreter reproduces generated code
/// bit for bit. A primitive because the mask must come from that stream, not from other ops.
/// Gradient: dx = dropout(dy) with the same seed, i.e. dy · m / keep with the very same mask.
/// </summary>
public sealed class Dropout : OpDef, IRunDependentOp
{
    public override string Name => "dropout";
    public override OpClass Class => OpClass.Opaque;
    public override bool HasGradient => true;

    /// <summary>The attributes of a dropout with drop probability <paramref name="rate"/> and op seed <paramref name="seed"/>.</summary>
    public static Attrs Of(double rate, long seed) => Attrs.Of(("rate", rate), ("seed", seed));

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 1, Name);
        MathOpSupport.RequireFloat(inputs, Name);
        double rate = attrs.GetDouble("rate");
        if (!(rate >= 0 && rate < 1)) throw new ShapeException($"{Name}: rate must be in [0, 1), got {rate.ToString("R", CultureInfo.InvariantCulture)}");
        attrs.GetLong("seed");
        return (inputs[0].DType, inputs[0].Shape);
    }

    public override IReadOnlyList<Node?> Gradient(GraphBuilder g, Node node, Node dy) =>
        new[] { g.Apply("dropout", new[] { dy }, node.Attrs) };

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) =>
        throw new InvalidOperationException("dropout depends on the run (training or inference, seed, step); evaluate it through the interpreter with a RunContext");

    public RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape, RunContext run)
    {
        var x = inputs[0];
        double keep = 1 - attrs.GetDouble("rate");
        if (!run.IsTraining || keep == 1) return new RefTensor(x.DType, outShape, (double[])x.Data.Clone());
        var (k0, k1) = PhiloxKey.Derive(run.GraphSeed, unchecked((ulong)attrs.GetLong("seed")), 0);
        float threshold = (float)keep;
        double scale = RefTensor.Round(x.DType, 1 / keep);
        var y = new double[x.Data.Length];
        for (long i = 0; i < y.Length; i++)
        {
            uint word = PhiloxKey.Block((ulong)i >> 2, run.Step, k0, k1)[(int)(i & 3)];
            y[i] = PhiloxKey.ToUnit(word) < threshold ? RefTensor.Round(x.DType, x.Data[i] * scale) : 0;
        }
        return new RefTensor(x.DType, outShape, y);
    }

    public override void EmitCpu(Emit.CpuKernelContext ctx)
    {
        double keep = 1 - ctx.Node.Attrs.GetDouble("rate");
        if (!ctx.IsTraining || keep == 1)
        {
            ctx.Line($"{ctx.In(0)}.CopyTo({ctx.Write});");
            return;
        }
        var seed = unchecked((ulong)ctx.Node.Attrs.GetLong("seed")).ToString(CultureInfo.InvariantCulture);
        ctx.Line($"{MathOpSupport.CpuOps}.Dropout<{ctx.T}>({ctx.In(0)}, {ctx.Write}, {Emit.CSharpNames.Literal(keep, DType.Float64)}, {ctx.GraphSeed}, {seed}UL, {ctx.Step});");
    }
}
