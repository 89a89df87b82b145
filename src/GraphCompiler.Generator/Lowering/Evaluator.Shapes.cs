using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Ops;
using GraphCompiler.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using ShapeOps = GraphCompiler.Compiler.Ops.Composites.Shapes;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// The shape family of <c>GraphCompiler.Ops</c>: each call reads its compile-time arguments and
/// builds nodes through <see cref="ShapeOps"/>. Shape errors are reported at the call: GC0250 when
/// a result along a symbolic axis is not a single dimension, GC0200 otherwise.
/// </summary>
internal sealed partial class Evaluator
{
    private bool TryShapesOpCall(string name, Arguments args, out Value value)
    {
        var at = args.Call.Syntax;
        Node X(string p = "x") => TensorOf(args[p], args.Syntax(p));
        int Int(string p, string usage) => (int)IntOf(args[p], args.Syntax(p), usage);
        int[]? OptionalInts(string p, string usage) => args[p] is NullValue ? null : Ints(args[p], args.Syntax(p), usage);
        Compiler.IR.DType DTypeArg(string p) => (Compiler.IR.DType)(int)IntOf(args[p], args.Syntax(p), "as a dtype");
        TensorValue One(Func<Node> make) => new(ShapeAt(at, make));
        ArrayValue Many(Func<Node[]> make) => new(ShapeAt(at, make).Select(n => (Value)new TensorValue(n)).ToArray());

        switch (name)
        {
            case "ExpandDims":
            {
                var x = X();
                int axis = Int("axis", "as an axis");
                value = One(() => ShapeOps.ExpandDims(_g, x, axis));
                return true;
            }
            case "Squeeze":
            {
                var x = X();
                var axes = OptionalInts("axes", "as an axis");
                value = One(() => ShapeOps.Squeeze(_g, x, axes));
                return true;
            }
            case "Concat":
            case "Stack":
            {
                int axis = Int("axis", "as an axis");
                if (name == "Stack" && args["values"] is TimeArrayValue steps)
                {
                    value = new TensorValue(StackedTimeArray(steps, axis, at));
                    return true;
                }
                var xs = Tensors(args["values"], args.Syntax("values"));
                value = One(() => name == "Concat" ? ShapeOps.Concat(_g, xs, axis) : ShapeOps.Stack(_g, xs, axis));
                return true;
            }
            case "Unstack":
            {
                var x = X();
                int axis = Int("axis", "as an axis");
                if (TimeArrayOf(x, axis) is { } steps)
                {
                    value = steps;
                    return true;
                }
                value = Many(() => ShapeOps.Unstack(_g, x, axis));
                return true;
            }
            case "Split":
            {
                var x = X();
                int axis = Int("axis", "as an axis");
                if (args.Has("numSplits"))
                {
                    int count = Int("numSplits", "as a number of splits");
                    value = Many(() => ShapeOps.Split(_g, x, count, axis));
                }
                else
                {
                    var sizes = Ints(args["sizeSplits"], args.Syntax("sizeSplits"), "as a split size");
                    value = Many(() => ShapeOps.Split(_g, x, sizes, axis));
                }
                return true;
            }
            case "Slice":
            {
                var x = X();
                var begin = Ints(args["begin"], args.Syntax("begin"), "as a slice begin");
                var size = Ints(args["size"], args.Syntax("size"), "as a slice size");
                value = One(() => ShapeOps.Slice(_g, x, begin, size));
                return true;
            }
            case "StridedSlice":
            {
                var x = X();
                var begin = Ints(args["begin"], args.Syntax("begin"), "as a slice begin");
                var end = Ints(args["end"], args.Syntax("end"), "as a slice end");
                var strides = OptionalInts("strides", "as a stride");
                int beginMask = Int("beginMask", "as a mask"), endMask = Int("endMask", "as a mask"), shrink = Int("shrinkAxisMask", "as a mask");
                value = One(() => ShapeOps.StridedSlice(_g, x, begin, end, strides, beginMask, endMask, shrink));
                return true;
            }
            case "Tile":
            {
                var x = X();
                var multiples = Ints(args["multiples"], args.Syntax("multiples"), "as a multiple");
                value = One(() => ShapeOps.Tile(_g, x, multiples));
                return true;
            }
            case "Pad":
            {
                var x = X();
                var paddings = Paddings(args["paddings"], args.Syntax("paddings"));
                double fill = FloatOf(args["constantValue"], args.Syntax("constantValue"), "as a padding value");
                value = One(() => ShapeOps.Pad(_g, x, paddings, fill));
                return true;
            }
            case "Gather":
            {
                var p = X("params");
                var indices = X("indices");
                int axis = Int("axis", "as an axis");
                value = One(() => ShapeOps.Gather(_g, p, indices, axis));
                return true;
            }
            case "EmbeddingLookup":
            {
                var p = X("params");
                var ids = X("ids");
                value = One(() => ShapeOps.EmbeddingLookup(_g, p, ids));
                return true;
            }
            case "OneHot":
            {
                var indices = X("indices");
                int depth = Int("depth", "as a one-hot depth");
                double on = FloatOf(args["onValue"], args.Syntax("onValue"), "as a one-hot value");
                double off = FloatOf(args["offValue"], args.Syntax("offValue"), "as a one-hot value");
                int axis = Int("axis", "as an axis");
                var dtype = DTypeArg("dtype");
                value = One(() => ShapeOps.OneHot(_g, indices, depth, on, off, axis, dtype));
                return true;
            }
            case "Range":
            {
                bool floats = args.Call.TargetMethod.Parameters[0].Type.SpecialType == SpecialType.System_Single;
                double Num(string p) => FloatOf(args[p], args.Syntax(p), "in a range");
                double start = args.Has("start") ? Num("start") : 0, limit = Num("limit"), delta = args.Has("delta") ? Num("delta") : 1;
                value = One(() => ShapeOps.Range(_g, start, limit, delta, floats ? Compiler.IR.DType.Float32 : Compiler.IR.DType.Int32));
                return true;
            }
            case "Fill":
            {
                var dims = Dims(args["shape"], args.Syntax("shape"));
                if (dims.Any(d => d is null))
                    throw Error(Descriptors.ShapeError, args.Syntax("shape"), "fill: dimension -1 is not allowed; give every dimension");
                double fill = FloatOf(args["value"], args.Syntax("value"), "as a fill value");
                var dtype = DTypeArg("dtype");
                value = One(() => ShapeOps.Fill(_g, new Shape(dims.Select(d => d!.Value)), fill, dtype));
                return true;
            }
            case "ZerosLike":
            case "OnesLike":
            {
                var x = X();
                value = One(() => name == "ZerosLike" ? ShapeOps.ZerosLike(_g, x) : ShapeOps.OnesLike(_g, x));
                return true;
            }
            default:
                value = NullValue.Instance;
                return false;
        }
    }

    /// <summary>Builds nodes at <paramref name="at"/>, mapping shape errors to GC0250 (symbolic) or GC0200.</summary>
    private T ShapeAt<T>(SyntaxNode at, Func<T> make)
    {
        var saved = _g.CurrentSource;
        _g.CurrentSource = _ctx.Span(at);
        try
        {
            return make();
        }
        catch (ShapeException e)
        {
            throw Error(ShapeRules.IsUnrepresentable(e) ? Descriptors.SymbolicShapeNotRepresentable : Descriptors.ShapeError, at, e.Message);
        }
        finally
        {
            _g.CurrentSource = saved;
        }
    }

    private Node[] Tensors(Value value, SyntaxNode at)
    {
        if (value is not ArrayValue array) throw Error(Descriptors.EvaluationError, at, $"expected an array of tensors, got {value.Describe()}");
        return array.Items.Select(v => TensorOf(v, at)).ToArray();
    }

    /// <summary>Paddings as <c>int[rank][2]</c> or flat <c>[before₀, after₀, …]</c>, returned flat.</summary>
    private int[] Paddings(Value value, SyntaxNode at)
    {
        if (value is not ArrayValue array) throw Error(Descriptors.EvaluationError, at, $"expected paddings, got {value.Describe()}");
        if (!array.Items.Any(v => v is ArrayValue)) return Ints(array, at, "as a padding");
        var flat = new List<int>();
        foreach (var pair in array.Items)
        {
            var p = Ints(pair, at, "as a padding");
            if (p.Length != 2) throw Error(Descriptors.ShapeError, at, $"pad: each axis needs a [before, after] pair, got [{string.Join(", ", p)}]");
            flat.AddRange(p);
        }
        return flat.ToArray();
    }
}
