using GraphCompiler;
using GraphCompiler.Runtime.Reference;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests
{
    /// <summary>exp and log inside fused kernels run in SIMD registers (Vector.Exp/Vector.Log): vector body and scalar tail agree with the interpreter.</summary>
    public class VectorizedMathTests
    {
        [Theory]
        [InlineData(1)]
        [InlineData(8)]
        [InlineData(37)]
        public void ExpAndLogKernelsAgreeWithTheInterpreter(int n)
        {
            var rng = new Random(n);
            var x = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray();
            var model = new Models.ExpLogModel();
            var generated = model.SoftplusLike(x);
            var reference = ReferenceInterpreter.Run(model, Models.ExpLogModel.Ir.SoftplusLike, new Dictionary<string, (float[], int[])> { ["x"] = (x, new[] { n }) }).Outputs["result"];
            for (int i = 0; i < n; i++)
                Assert.True(Math.Abs(reference.Data[i] - generated.Data[i]) <= 1e-5 * (1 + Math.Abs(reference.Data[i])), $"element {i}: {reference.Data[i]} vs {generated.Data[i]}");
        }
    }
}

namespace GraphCompiler.EndToEnd.Tests.Models
{
    [Model]
    public partial class ExpLogModel
    {
        [Output]
        static Tensor SoftplusLike([Shape("n")] Tensor x) => Log(Exp(x) + 1f) * 2f - Exp(x * 0.5f);
    }
}
