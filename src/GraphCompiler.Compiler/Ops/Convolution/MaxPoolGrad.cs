using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// The gradient of <see cref="MaxPool"/>: inputs (x, dy), max_pool's attributes; each dy value is added at
/// its window's first maximum in x (recomputed from x, so the forward pass stores no indices). Not
/// differentiated again.
/// </summary>
public sealed class MaxPoolGrad : OpDef
{
    public override string Name => "max_pool_grad";
    public override OpClass Class => OpClass.Opaque;

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, 2, Name);
        Node x = inputs[0], dy = inputs[1];
        var y = Window2D.OfPool(Name, x.Shape, attrs).OutputShape(x.Shape[0], x.Shape[3]);
        if (!dy.Shape.Equals(y)) throw new ShapeException($"{Name}: dy {dy.Shape} is not the pooling's output shape {y}");
        return (x.DType, x.Shape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        RefTensor x = inputs[0], dy = inputs[1];
        var argmax = MaxPool.ArgMax(x, attrs, out _);
        var dx = new double[x.Data.Length];
        for (long i = 0; i < argmax.Length; i++) dx[argmax[i]] += dy.Data[i];
        return new RefTensor(x.DType, outShape, dx.Select(v => RefTensor.Round(x.DType, v)).ToArray());
    }
}
