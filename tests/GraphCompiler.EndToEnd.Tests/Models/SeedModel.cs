using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>Random initializers with and without op-level seeds, for TensorFlow's seed rules.</summary>
[Model]
public partial class SeedModel
{
    [Output]
    static Tensor Sum([Shape(4)] Tensor x)
    {
        var a = Variable("a", [4], Init.RandomNormal(seed: 42));
        var b = Variable("b", [4], Init.RandomNormal(seed: 42));
        var c = Variable("c", [4], Init.RandomNormal());
        var d = Variable("d", [4], Init.RandomNormal());
        return x * a + b + c + d;
    }
}
