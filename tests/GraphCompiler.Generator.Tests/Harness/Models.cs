namespace GraphCompiler.Generator.Tests.Harness;

/// <summary>Small model programs shared by snapshot and lowering tests.</summary>
internal static class Models
{
    public const string Usings = "using GraphCompiler;\nusing static GraphCompiler.Ops;\n";

    public const string LinearRegression = Usings + """
        namespace Samples;

        [Model(Optimizer = Optimizer.GradientDescent)]
        public partial class LinearModel
        {
            [Loss]
            static Tensor Loss([Shape("n")] Tensor x, [Shape("n")] Tensor y)
            {
                var W = Variable("W", [1], Init.Constant(0.3f));
                var b = Variable("b", [1], Init.Constant(-0.3f));
                var linear = W * x + b;
                return ReduceSum(Square(linear - y));
            }
        }
        """;

    public const string TwoLayerMlp = Usings + """
        namespace Samples;

        [Model]
        public partial class Mlp
        {
            static Tensor Dense(Tensor x, int units, string name)
            {
                using var _ = NameScope(name);
                var w = Variable("weights", [x.Shape[1], units], Init.RandomNormal(0f, 0.1f));
                var b = Variable("biases", [units], Init.Zeros());
                return MatMul(x, w) + b;
            }

            [Loss]
            static Tensor Loss([Shape("batch", 4)] Tensor x, [Shape("batch", 2)] Tensor y)
            {
                var hidden = Dense(x, 8, "h1");
                var logits = Dense(hidden, y.Shape[1], "out");
                return ReduceMean(Square(logits - y));
            }
        }
        """;

    public const string SharedVariables = Usings + """
        namespace Samples;

        [Model]
        internal partial class Shared
        {
            static Tensor Linear(Tensor x)
            {
                using var scope = VariableScope("linear", Reuse.Auto);
                var w = GetVariable("w", [3, 1], Init.GlorotUniform(seed: 7));
                var b = GetVariable("b", [1], Init.Zeros());
                return MatMul(x, w) + b;
            }

            [Loss]
            static Tensor Loss([Shape("n", 3)] Tensor x, [Shape("n", 1)] Tensor y) => ReduceSum(Square(Linear(x) - y));

            static Tensor Predict([Shape("n", 3)] Tensor x) => Linear(x);
        }
        """;

    public const string TupleReturn = Usings + """
        [Model]
        public partial class Stats
        {
            static (Tensor Sum, Tensor Mean) Moments([Shape(2, 3)] Tensor x)
            {
                var sum = ReduceSum(x, [1]);
                return (sum, sum / 3f);
            }
        }
        """;

    /// <summary>DynamicRnn over a symbolic time dim (one loop region) with a loss, so the train step has a reverse loop.</summary>
    public const string RecurrenceLoop = Usings + "using static GraphCompiler.Rnn;\n" + """
        [Model]
        public partial class Recurrence
        {
            [Loss]
            static Tensor Loss([Shape("batch", "time", 3)] Tensor x, [Shape("batch", 4)] Tensor h0, [Shape("batch", "time", 4)] Tensor y) =>
                ReduceSum(Square(DynamicRnn(BasicRnnCell(4), x, initialState: [h0]).Outputs - y));
        }
        """;
}
