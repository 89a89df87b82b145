using System.Globalization;
using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Ops;

namespace GraphCompiler.Compiler.Backends.Ilgpu;

/// <summary>
/// Renders GEMMs and library calls as calls into the device runtime: <c>IDeviceGemm</c> for matrix
/// products (batched ones as one GEMM per batch, or one GEMM where the items stack), <c>DeviceLibrary</c> for layout, reductions over any
/// axes, arg-max/min, gathers, one-hot, fills, windows (concat, slices, pad, tile), dropout and the
/// gathered-row ops of sparse embedding models. The op's node and attributes are the description;
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
        if (MatMul.ContractsBatch(g.Product.Attrs))
        {
            // Σ op(Aᵢ)·op(Bᵢ): with Aᵀ·B the items stack along the contracted axis (one GEMM), else accumulate.
            string count = call.Count(batchA);
            if (g.TransposeA && !g.TransposeB)
            {
                yield return $"{gemm}({Flags()}, {m}, {n}, {count} * {k}, 1f, {call.View(g.A)}, {call.View(g.B)}, 0f, {call.View(g.Result)});";
                yield break;
            }
            string itemA = $"({m} * {k})", itemB = $"({k} * {n})";
            yield return $"for (int batch = 0; batch < {count}; batch++)";
            yield return $"    {gemm}({Flags()}, {m}, {n}, {k}, 1f, {call.View(g.A)}.SubView((long)batch * {itemA}, {itemA}), {call.View(g.B)}.SubView((long)batch * {itemB}, {itemB}), batch == 0 ? 0f : 1f, {call.View(g.Result)});";
            yield break;
        }
        if (!g.TransposeA && batchA.Equals(batchC) && (batchB.Rank == 0 || batchB.IsStatic && batchB.StaticElementCount == 1))
        {
            // One B for every item: the items of A and C stack as rows, one GEMM.
            yield return $"{gemm}({Flags()}, {call.Count(batchC)} * {m}, {n}, {k}, 1f, {call.View(g.A)}, {call.View(g.B)}, 0f, {call.View(g.Result)});";
            yield break;
        }
        string Step(Shape batch, string size) => batch.Equals(batchC) ? $"(long)batch * {size}" : batch.Rank == 0 || (batch.IsStatic && batch.StaticElementCount == 1) ? "0L"
            : throw new NotSupportedException($"{g.Name}: the device GEMM broadcasts a batch of one only ({batch} against {batchC})");
        string sizeA = $"{m} * {k}", sizeB = $"{k} * {n}", sizeC = $"{m} * {n}";
        string stepA = Step(batchA, "(" + sizeA + ")"), stepB = Step(batchB, "(" + sizeB + ")");
        yield return $"for (int batch = 0; batch < {call.Count(batchC)}; batch++)";
        yield return $"    {gemm}({Flags()}, {m}, {n}, {k}, 1f, {call.View(g.A)}.SubView({stepA}, {sizeA}), {call.View(g.B)}.SubView({stepB}, {sizeB}), 0f, {call.View(g.Result)}.SubView((long)batch * ({sizeC}), {sizeC}));";
    }

    /// <summary>The statements of a library call, one per line.</summary>
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
            case "gather" when node.Inputs[1].DType is DType.Int32 or DType.Int64:
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
            case "concat" when node.DType != DType.Bool:
                return Concat(node, call, lib);
            case "strided_slice" when node.DType != DType.Bool:
                return $"{lib}.StridedSlice({In(0)}, {Shape(x!.Shape)}, {Ints(node.Attrs.GetInts("begin"))}, {Ints(node.Attrs.GetInts("strides"))}, {Out()}, {Shape(node.Shape)});";
            case "strided_slice_grad" when node.DType != DType.Bool:
                return $"{lib}.StridedPlace({In(0)}, {Shape(x!.Shape)}, {Ints(node.Attrs.GetInts("begin"))}, {Ints(node.Attrs.GetInts("strides"))}, default({IlgpuKernelRenderer.DeviceType(node.DType)}), {Out()}, {Shape(node.Shape)});";
            case "pad" when node.DType != DType.Bool:
                return $"{lib}.StridedPlace({In(0)}, {Shape(x!.Shape)}, {Ints(Pad.Before(node.Attrs))}, {Ints(Enumerable.Repeat(1, node.Shape.Rank).ToArray())}, {CSharpNames.Literal(node.Attrs.GetDouble("value"), node.DType)}, {Out()}, {Shape(node.Shape)});";
            case "tile" when node.DType != DType.Bool:
                return $"{lib}.Tile({In(0)}, {Shape(x!.Shape)}, {Out()}, {Shape(node.Shape)});";
            case "dropout":
            {
                double keep = 1 - node.Attrs.GetDouble("rate");
                if (!call.Training || keep == 1) return $"{Library}.Copy({In(0)}, {Out()});";
                Float(node, x!);
                var seed = unchecked((ulong)node.Attrs.GetLong("seed")).ToString(CultureInfo.InvariantCulture);
                return $"{lib}.Dropout({In(0)}, {Out()}, {CSharpNames.Literal(keep, DType.Float64)}, Seed, {seed}UL, (ulong)GlobalStep);";
            }
            case "gather_dot" when Rows(node):
                return $"{lib}.GatherDot({In(0)}, {call.Dim(x!.Shape[1])}, {In(1)}, {In(2)}, {Out()});";
            case "gather_weighted_sum" when Rows(node):
                return $"{lib}.GatherWeightedSum({In(0)}, {call.Dim(x!.Shape[1])}, {In(1)}, {In(2)}, {(node.Inputs.Count == 4 ? In(3) : "default(ILGPU.ArrayView<float>)")}, {Out()});";
            case "sparse_rows" when node.DType == DType.Float32:
            {
                string width = call.Count(new Shape(node.Shape.Skip(1)));
                var lines = new List<string> { $"{lib}.Fill({Out()}, 0f);" };
                for (int j = 0; j + 1 < node.Inputs.Count; j += 2)
                    lines.Add($"{lib}.ScatterAddRows({In(j)}, {width}, {In(j + 1)}, {Out()});");
                return string.Join("\n", lines);
            }
            case "row_outer" when node.DType == DType.Float32:
            {
                var vec = node.Inputs[1].Shape;
                return $"{lib}.RowOuter({In(0)}, {In(1)}, {call.Dim(vec[vec.Rank - 1])}, {Out()});";
            }
            case "candidate_sampler":
                return $"{lib}.LogUniformCandidates({Out()}, {CandidateSamplerBase.DrawArguments(node.Attrs, "Seed", "(ulong)GlobalStep")});";
            case "candidate_sampler_tries":
                return $"{lib}.LogUniformCandidateTries({Out()}, {node.Attrs.GetInt("num_sampled")}, {CandidateSamplerBase.DrawArguments(node.Attrs, "Seed", "(ulong)GlobalStep")});";
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

    /// <summary>
    /// The statements of sparse gradient descent (an effect on a variable): one atomic scatter per part of
    /// the sparse gradient, the learning rate read on the device.
    /// </summary>
    public static IEnumerable<string> SparseDescent(Node effect, DeviceCall call, string table)
    {
        var lib = $"{call.Program}.Context.Library";
        if (effect.DType != DType.Float32) throw new NotSupportedException($"op '{effect.OpName}' ({effect.Name}) runs on the device for float32 only, not {effect.DType}");
        string width = call.Count(new Shape(effect.Shape.Skip(1)));
        string In(int i) => call.View(effect.Inputs[i]);
        foreach (var part in SparseGradientDescent.Parts(effect.Inputs.Count, effect.Attrs))
        {
            var ids = effect.Inputs[part.Ids].DType;
            if (ids != DType.Int32 && (part.Vec is not null || ids != DType.Int64))
                throw new NotSupportedException($"op '{effect.OpName}' ({effect.Name}) takes int32 ids on the device (int64 for gathered rows)");
            yield return part.Vec is { } vec
                ? $"{lib}.ScatterOuterRowsDescent({In(part.Values)}, {In(vec)}, {width}, {In(part.Ids)}, {table}, {In(1)});"
                : $"{lib}.ScatterRowsDescent({In(part.Values)}, {width}, {In(part.Ids)}, {table}, {In(1)});";
        }
    }

    /// <summary>
    /// The statement of a sparse Adagrad effect (<c>sparse_adagrad</c>, which reads the accumulator, or
    /// <c>sparse_adagrad_accumulate</c>, which the optimizer emits after it): one launch over the touched rows.
    /// </summary>
    public static string SparseAdagrad(Node effect, DeviceCall call, string target)
    {
        var lib = $"{call.Program}.Context.Library";
        bool accumulate = effect.Op is SparseAdagradAccumulate;
        int values = accumulate ? 2 : 3;
        if (effect.DType != DType.Float32 || effect.Inputs[values + 1].DType != DType.Int32)
            throw new NotSupportedException($"op '{effect.OpName}' ({effect.Name}) runs on the device for float32 tables and int32 ids only");
        string In(int i) => call.View(effect.Inputs[i]);
        string width = call.Count(new Shape(effect.Shape.Skip(1)));
        return accumulate
            ? $"{lib}.SparseAdagradAccumulate({In(2)}, {width}, {In(3)}, {target}); // {effect.Name}"
            : $"{lib}.SparseAdagrad({In(3)}, {width}, {In(4)}, {In(2)}, {target}, {In(1)}); // {effect.Name}";
    }

    /// <summary>A gathered-rows op the device runs: a float32 table with int32 ids.</summary>
    private static bool Rows(Node node) => node.DType == DType.Float32 && node.Inputs[1].DType == DType.Int32;

    /// <summary>One copy per input into its columns of the output's rows (offsets as the CPU path computes them).</summary>
    private static string Concat(Node node, DeviceCall call, string lib)
    {
        var shape = node.Shape;
        int axis = node.Attrs.GetInt("axis");
        string outer = call.Count(new Shape(shape.Take(axis)));
        string inner = call.Count(new Shape(shape.Skip(axis + 1)));
        string offset = "0";
        var lines = new List<string>();
        for (int i = 0; i < node.Inputs.Count; i++)
        {
            string part = call.Dim(node.Inputs[i].Shape[axis]);
            lines.Add($"{lib}.ConcatPart({call.View(node.Inputs[i])}, {outer}, ({part}) * ({inner}), ({call.Dim(shape[axis])}) * ({inner}), ({offset}) * ({inner}), {call.View(node)});");
            offset = offset == "0" ? part : $"{offset} + {part}";
        }
        return string.Join("\n", lines);
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
