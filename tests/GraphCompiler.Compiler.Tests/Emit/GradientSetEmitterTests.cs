using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;

namespace GraphCompiler.Compiler.Tests.Emit;

public class GradientSetEmitterTests
{
    private static VariableInfo V(string name, params int[] shape) => new(name, DType.Float32, Shape.Of(shape), InitSpec.Zeros, true);

    [Fact]
    public void TheLayoutIsContiguousInVariableOrder()
    {
        var layout = GradientSetEmitter.Layout(new[] { V("a", 3, 4), V("b", 4), V("c", 1) });
        Assert.Equal(new[] { 0, 12, 16 }, layout.Select(s => s.Offset));
        Assert.Equal(new[] { 12, 4, 1 }, layout.Select(s => s.Count));
    }

    /// <summary>The MLP 784-512-512-10: buckets from the last layer back, each closed at 1 MiB or more.</summary>
    [Fact]
    public void BucketsFillFromTheLastVariableAndCloseAtOneMebibyte()
    {
        var layout = GradientSetEmitter.Layout(new[]
        {
            V("h1/weights", 784, 512), V("h1/biases", 512), V("h2/weights", 512, 512), V("h2/biases", 512), V("output/weights", 512, 10), V("output/biases", 10),
        });
        var buckets = GradientSetEmitter.Buckets(layout);
        Assert.Equal(2, buckets.Count);
        Assert.Equal(new[] { "output/biases", "output/weights", "h2/biases", "h2/weights" }, buckets[0].Variables);
        Assert.Equal(new[] { "h1/biases", "h1/weights" }, buckets[1].Variables);
        Assert.Equal(784 * 512 + 512, buckets[0].Offset);
        Assert.Equal(512 * 512 + 512 + 5120 + 10, buckets[0].Count);
        Assert.Equal(0, buckets[1].Offset);
        Assert.Equal(784 * 512 + 512, buckets[1].Count);
    }

    [Fact]
    public void SmallModelsHaveOneBucketAndNoneIsEmpty()
    {
        var buckets = GradientSetEmitter.Buckets(GradientSetEmitter.Layout(new[] { V("w", 5, 2), V("b", 2) }));
        var bucket = Assert.Single(buckets);
        Assert.Equal((0, 12), (bucket.Offset, bucket.Count));
        Assert.Empty(GradientSetEmitter.Buckets(GradientSetEmitter.Layout(Array.Empty<VariableInfo>())));
    }
}
