using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Base of elementwise ops: NumPy broadcasting of the inputs, one dtype for all inputs, and a
/// scalar formula given once for the reference (double) and once as a template for fused kernels.
/// </summary>
public abstract class ElementwiseOp : OpDef
{
    public override OpClass Class => OpClass.Elementwise;

    public abstract int Arity { get; }

    /// <summary>The result dtype given the (common) input dtype; same by default.</summary>
    protected virtual DType ResultType(DType input) => input;

    /// <summary>The formula in double precision.</summary>
    public abstract double Compute(double[] args, Attrs attrs);

    /// <summary>
    /// The formula as a scalar template over the op's arguments, with <paramref name="dtype"/> the
    /// result's dtype: what every renderer spells (C#, <c>Vector&lt;T&gt;</c>, ILGPU) when it fuses the op.
    /// </summary>
    public abstract ScalarExpr Template(Attrs attrs, DType dtype);

    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs)
    {
        ExpectArity(inputs, Arity, Name);
        var dtype = inputs[0].DType;
        foreach (var i in inputs)
            if (i.DType != dtype)
                throw new ShapeException($"{Name}: inputs have different dtypes, {inputs[0].DType.ShortName()}{inputs[0].Shape} and {i.DType.ShortName()}{i.Shape}; cast one of them");
        var shape = inputs[0].Shape;
        for (int k = 1; k < inputs.Count; k++) shape = Broadcasting.Shapes(shape, inputs[k].Shape, Name);
        return (ResultType(dtype), shape);
    }

    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape)
    {
        long n = RefTensor.Count(outShape);
        var dtype = inputs.Count > 0 ? ResultType(inputs[0].DType) : DType.Float32;
        var result = new double[n];
        var args = new double[inputs.Count];
        for (long i = 0; i < n; i++)
        {
            for (int k = 0; k < inputs.Count; k++)
                args[k] = inputs[k].Data[RefTensor.BroadcastIndex(i, outShape, inputs[k].Shape)];
            result[i] = RefTensor.Round(dtype, Compute(args, attrs));
        }
        return new RefTensor(dtype, outShape, result);
    }
}

/// <summary>NumPy's broadcasting rule over static and symbolic dims.</summary>
public static class Broadcasting
{
    public static Shape Shapes(Shape a, Shape b, string op)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new Dim[rank];
        for (int i = 0; i < rank; i++)
        {
            int ia = a.Rank - rank + i, ib = b.Rank - rank + i;
            Dim da = ia >= 0 ? a[ia] : Dim.Of(1), db = ib >= 0 ? b[ib] : Dim.Of(1);
            if (da == db) dims[i] = da;
            else if (da.IsStatic && da.Size == 1) dims[i] = db;
            else if (db.IsStatic && db.Size == 1) dims[i] = da;
            else if (DimConstraints.Match(da, db, $"{op} of {a} and {b}")) dims[i] = da.IsStatic ? da : db;
            else throw new ShapeException($"{op}: incompatible shapes {a} and {b} (dimension {da} vs {db}; broadcasting needs equal sizes or 1{DimConstraints.Why(da, db)})");
        }
        return new Shape(dims);
    }

    /// <summary>True if <paramref name="small"/> broadcasts to exactly <paramref name="big"/>.</summary>
    public static bool BroadcastsTo(Shape small, Shape big)
    {
        if (small.Rank > big.Rank) return false;
        for (int i = 0; i < small.Rank; i++)
        {
            var s = small[small.Rank - 1 - i];
            var b = big[big.Rank - 1 - i];
            if (s != b && !(s.IsStatic && s.Size == 1)) return false;
        }
        return true;
    }
}
