namespace GraphCompiler.Compiler.Ops;

/// <summary>Every op, by IR name. One line per op; the op's file holds everything else about it.</summary>
public static class OpRegistry
{
    private static readonly Dictionary<string, OpDef> ByName = new OpDef[]
    {
        // sources
        new Input(), new VariableRead(), new Constant(), new ElementCount(), new SummaryText(),
        // elementwise
        new Add(), new Sub(), new Mul(), new Div(), new Neg(), new Square(),
        // reductions
        new ReduceSum(), new SumToLike(),
        // layout
        new BroadcastLike(), new Reshape(), new Transpose(),
        // linear algebra
        new MatMul(), new GatherDot(), new GatherWeightedSum(), new RowOuter(),
        // state
        new Assign(), new SparseGradientDescent(), new SparseAdagrad(), new SparseAdagradAccumulate(),

        // math and activations (issue: op library)
        new Abs(), new Sign(), new Exp(), new Log(), new Log1p(), new Sqrt(), new Rsqrt(), new Reciprocal(),
        new Pow(), new Maximum(), new Minimum(), new Where(), new Cast(), new StopGradient(),
        new Equal(), new NotEqual(), new Less(), new LessEqual(), new Greater(), new GreaterEqual(),
        new LogicalAnd(), new LogicalOr(), new LogicalXor(), new LogicalNot(),
        new Sigmoid(), new Softplus(), new Tanh(), new Relu(), new ReluGrad(), new Erf(), new Dropout(),
        new ReduceMax(), new ReduceMin(), new ReduceProd(), new ArgMax(), new ArgMin(),

        // shape ops (issue: op library)
        new Concat(), new StridedSlice(), new StridedSliceGrad(), new Pad(), new Tile(),
        new Gather(), new SparseRows(), new OneHot(), new Fill(),

        // candidate sampling (issue: word2vec)
        new CandidateSampler(), new CandidateSamplerTries(),

        // convolution and pooling (issue: convolutional networks)
        new Conv2D(), new Conv2DBackpropInput(), new Conv2DBackpropFilter(),
        new DepthwiseConv2D(), new DepthwiseConv2DBackpropInput(), new DepthwiseConv2DBackpropFilter(),
        new MaxPool(), new MaxPoolGrad(), new AvgPool(), new AvgPoolGrad(),
        // batch normalization's choice of statistics (issue: convolutional networks)
        new InTraining(),
        // loop regions (issue: recurrent networks): the loop op itself is one instance per body
        new IR.LoopOutput(),

    }.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public static OpDef Get(string name) =>
        ByName.TryGetValue(name, out var op) ? op : throw new KeyNotFoundException($"unknown op '{name}'");

    public static bool TryGet(string name, out OpDef op) => ByName.TryGetValue(name, out op!);

    public static IEnumerable<OpDef> All => ByName.Values;
}
