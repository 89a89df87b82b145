using System.Globalization;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Backends.Ilgpu;

/// <summary>
/// Renders GEMMs and library calls as calls into the device runtime: <c>IDeviceGemm</c> for matrix
/// products (batched ones as one GEMM per batch), <c>DeviceLibrary</c> for layout, reductions over any
/// axes, arg-max/min, gathers, one-hot and fills. The op's node and attributes are the description;
/// an op with no device routine yet is refused with its name, so the model's device path says which.
/// </summary>
internal static class IlgpuLibraryRenderer
{
    private const string Library = "GraphCompiler.Runtime.Devices.DeviceLibrary";

    /// <summary>The statements of a GEMM.</summary>
    public static IEnumerable<string> Gemm(GemmCall g, DeviceCall call)
    {
        if (g.Product.DType != DType.Float32) throw new NotSupportedException($"{g.Name}: the device GEMM multiplies float32, not {g.Product.DType}");
        if (g.Bias is not null || g.ColumnSums is not null) throw new InvalidOperationException($"{g.Name}: the ILGPU back end takes no GEMM epilogue");
        Shape a = g.A.Shape, b = g.B.Shape, c = g.Product.Shape;
        string m = call.Dim(c[c.Rank - 2]), n = call.Dim(c[c.Rank - 1]), k = call.Dim(g.TransposeA ? a[a.Rank - 2] : a[a.Rank - 1]);
        string Flags() => $"{Bool(g.TransposeA)}, {Bool(g.TransposeB)}";
        string gemm = $"{call.Program}.Context.Gemm.Gemm";
        if (a.Rank == 2 && b.Rank == 2)
        {
            yield return $"{gemm}({Flags()}, {m}, {n}, {k}, 1f, {call.View(g.A)}, {call.View(g.B)}, 0f, {call.View(g.Result)});";
            yield break;
        }
        Shape batchA = MatMul.BatchShape(a), batchB = MatMul.BatchShape(b), batchC = MatMul.BatchShape(c);
        string Step(Shape batch, string size) => batch.Equals(batchC) ? $"(long)batch * {size}" : batch.Rank == 0 || (batch.IsStatic && batch.StaticElementCount == 1) ? "0L"
            : throw new NotSupportedException($"{g.Name}: the device GEMM broadcasts a batch of one only ({batch} against {batchC})");
        string sizeA = $"{m} * {k}", sizeB = $"{k} * {n}", sizeC = $"{m} * {n}";
        string stepA = Step(batchA, "(" + sizeA + ")"), stepB = Step(batchB, "(" + sizeB + ")");
        yield return $"for (int batch = 0; batch < {call.Count(batchC)}; batch++)";
        yield return $"    {gemm}({Flags()}, {m}, {n}, {k}, 1f, {call.View(g.A)}.SubView({stepA}, {sizeA}), {call.View(g.B)}.SubView({stepB}, {sizeB}), 0f, {call.View(g.Result)}.SubView((long)batch * ({sizeC}), {sizeC}));";
    }

    /// <summary>The statement of a library call.</summary>
    public static string Call(LibraryCall libraryCall, DeviceCall call)
    {
        var node = libraryCall.Node;
        var lib = $"{call.Program}.Context.Library";
        string In(int i) => call.View(node.Inputs[i]);
        string Out() => call.View(node);
        string Shape(Shape s) => "new int[] { " + string.Join(", ", s.Select(call.Dim)) + " }";
        string Ints(int[] values) => "new int[] { " + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + " }";
        var x = node.Inputs.Count > 0 ? node.Inputs[0] : null;
        switch (node.OpName)
        {
            case "reshape":
                return $"{Library}.Copy({In(0)}, {Out()});";
            case "broadcast_like":
                return $"{lib}.BroadcastTo({In(0)}, {Shape(x!.Shape)}, {Out()}, {Shape(node.Shape)});";
            case "transpose":
                return $"{lib}.Transpose({In(0)}, {Shape(x!.Shape)}, {Ints(node.Attrs.GetInts("perm"))}, {Out()});";
            case "reduce_sum" or "reduce_max" or "reduce_min" or "reduce_prod":
                Float(node, x!);
                return $"{lib}.Reduce<{FoldType(node.Op.Fold!.Value)}>({In(0)}, {Shape(x!.Shape)}, {Ints(node.Attrs.GetInts("axes"))}, {Out()});";
            case "sum_to_like":
                Float(node, x!);
                return $"{lib}.SumTo({In(0)}, {Shape(x!.Shape)}, {Out()}, {Shape(node.Shape)});";
            case "argmax" or "argmin":
                Float(node, x!);
                return $"{lib}.ArgExtreme({In(0)}, {Shape(x!.Shape)}, {node.Attrs.GetInt("axis")}, {Bool(node.OpName == "argmax")}, {Out()});";
            case "gather" when node.Inputs[1].DType == DType.Int32:
            {
                var p = x!.Shape;
                int axis = node.Attrs.GetInt("axis");
                return $"{lib}.Gather({In(0)}, {call.Count(new Shape(p.Take(axis)))}, {call.Dim(p[axis])}, {call.Count(new Shape(p.Skip(axis + 1)))}, {In(1)}, {Out()});";
            }
            case "one_hot" when x!.DType == DType.Int32 && node.DType == DType.Float32:
            {
                var i = x.Shape;
                int axis = node.Attrs.GetInt("axis");
                string Lit(string name) => CSharpNames.Literal(node.Attrs.GetDouble(name), node.DType);
                return $"{lib}.OneHot({In(0)}, {call.Count(new Shape(i.Take(axis)))}, {node.Attrs.GetInt("depth")}, {call.Count(new Shape(i.Skip(axis)))}, {Lit("on")}, {Lit("off")}, {Out()});";
            }
            case "fill" when node.DType != DType.Bool:
                return $"{lib}.Fill({Out()}, {CSharpNames.Literal(node.Attrs.GetDouble("value"), node.DType)});";
            case "element_count" when node.DType != DType.Bool:
            {
                var axes = node.Attrs.GetIntsOrNull("axes") ?? Enumerable.Range(0, x!.Shape.Rank).ToArray();
                var count = axes.Length == 0 ? "1" : string.Join(" * ", axes.Select(a => call.Dim(x!.Shape[a])));
                return $"{lib}.Fill({Out()}, ({node.DType.CSharpName()})({count}));";
            }
            default:
                throw new NotSupportedException($"op '{node.OpName}' ({node.Name}) has no device routine yet");
        }
    }

    private static void Float(Node node, Node x)
    {
        if (x.DType != DType.Float32) throw new NotSupportedException($"op '{node.OpName}' ({node.Name}) runs on the device for float32 only, not {x.DType}");
    }

    private static string FoldType(ReductionFold f) => f switch
    {
        ReductionFold.Product => "GraphCompiler.Runtime.Devices.ProductFold",
        _ => IlgpuKernelRenderer.FoldType(f),
    };

    private static string Bool(bool b) => b ? "true" : "false";
}
