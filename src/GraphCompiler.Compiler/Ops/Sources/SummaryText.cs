using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// The text of a text summary (<c>Summary.Text</c>), held as the attribute <c>text</c>. It carries no
/// numbers: its value is an empty bool scalar, and the emitter writes the attribute.
/// </summary>
public sealed class SummaryText : OpDef
{
    public override string Name => "summary_text";
    public override OpClass Class => OpClass.Source;
    public override (DType DType, Shape Shape) InferType(IReadOnlyList<Node> inputs, Attrs attrs) => (DType.Bool, Shape.Scalar);
    public override RefTensor Evaluate(IReadOnlyList<RefTensor> inputs, Attrs attrs, int[] outShape) => RefTensor.Scalar(0, DType.Bool);
}
