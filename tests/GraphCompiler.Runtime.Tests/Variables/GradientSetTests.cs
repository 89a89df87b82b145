namespace GraphCompiler.Runtime.Tests.Variables;

public class GradientSetTests
{
    /// <summary>A set of two gradients, w [2, 2] and b [1], as a generated model's would be.</summary>
    private sealed class TwoGradients : GradientSet
    {
        public TwoGradients()
            : base(5, new[] { new GradientBucket(DType.Float32, 0, 5, new[] { "b", "w" }) })
        {
            Register(new Gradient<float>("w", new[] { 2, 2 }, Float32, 0));
            Register(new Gradient<float>("b", new[] { 1 }, Float32, 4));
        }
    }

    [Fact]
    public void StoreWritesOrAddsAndTheViewsShareTheBuffer()
    {
        var g = new TwoGradients();
        g.Store(0, new[] { 1f, 2f, 3f, 4f }, accumulate: false);
        g.Store(4, new[] { 5f }, accumulate: false);
        g.Store(4, new[] { 0.5f }, accumulate: true);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5.5f }, g.Float32);
        var w = (Gradient<float>)g["w"];
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, w.Values.ToArray());
        w.Values[0] = 9f;
        Assert.Equal(9f, g.Float32[0]);
        Assert.Equal(new[] { "w", "b" }, g.Select(x => x.Name));
        Assert.Contains("has no gradient of a variable named 'z'", Assert.Throws<KeyNotFoundException>(() => g["z"]).Message);
    }

    [Fact]
    public void AccumulateScaleAndClip()
    {
        var a = new TwoGradients();
        var b = new TwoGradients();
        a.Store(0, new[] { 3f, 0f, 0f, 0f }, false);
        a.Loss = 1f;
        b.Store(4, new[] { 4f }, false);
        b.Loss = 3f;
        a.Accumulate(b);
        Assert.Equal(new[] { 3f, 0f, 0f, 0f, 4f }, a.Float32);
        Assert.Equal(4f, a.Loss);
        Assert.Equal(5.0, a.GlobalNorm(), 12);
        Assert.Equal(3.0, a["w"].Norm(), 12);
        Assert.Equal(5.0, a.ClipByGlobalNorm(2.5f), 12);
        Assert.Equal(new[] { 1.5f, 0f, 0f, 0f, 2f }, a.Float32);
        a.Scale(2f);
        Assert.Equal(new[] { 3f, 0f, 0f, 0f, 4f }, a.Float32);
        Assert.Equal(8f, a.Loss);
        Assert.Equal(5.0, a.ClipByGlobalNorm(10f), 12);   // under the limit: unchanged
        Assert.Equal(new[] { 3f, 0f, 0f, 0f, 4f }, a.Float32);
        b.CopyFrom(a);
        Assert.Equal(a.Float32, b.Float32);
        a.Clear();
        Assert.All(a.Float32, x => Assert.Equal(0f, x));
        Assert.Equal(0f, a.Loss);
    }
}
