using GraphCompiler.Compiler.Emit;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Tests.Emit;

namespace GraphCompiler.Compiler.Tests.Kernels;

/// <summary>
/// Autodiff's gradient of scaled dot-product attention is recognised as one region (dP, dV, the softmax's gradient,
/// the scale, dQ, dK) whose results are exactly the gradients autodiff returns for q, k and v, and whose removal
/// leaves the softmax's exponentials, sums and probabilities read by nothing else; a region with an intermediate read
/// elsewhere is not closed.
/// </summary>
public class AttentionGradientTests
{
    private static Func<Node, IReadOnlyList<Node>> Readers(Graph g)
    {
        var readers = g.Nodes.ToDictionary(n => n, _ => new List<Node>());
        foreach (var n in g.Nodes)
            foreach (var i in RowFusion.ReadInputs(n).Distinct())
                readers[i].Add(n);
        return n => readers[n];
    }

    private static (AttentionGradient? Gradient, Graph Graph) Match(Graph g)
    {
        var readers = Readers(g);
        var chain = g.Nodes.Select(n => AttentionChain.Match(n, readers)).Single(c => c is not null)!;
        return (AttentionGradient.Match(chain, readers), g);
    }

    [Theory]
    [InlineData(5, 7, 4, 3, false)]
    [InlineData(1, 1, 1, 1, false)]
    [InlineData(33, 33, 8, 8, true)]
    public void The_train_steps_attention_gradient_is_one_closed_region(int tq, int tk, int dk, int dv, bool causal)
    {
        var (gradient, g) = Match(FusionAttentionTests.Build(tq, tk, dk, dv, causal, backward: true));
        Assert.NotNull(gradient);
        Assert.Equal(g.Output("grad0"), gradient.QueryGrad);
        Assert.Equal(g.Output("grad1"), gradient.KeyGrad);
        Assert.Equal(g.Output("grad2"), gradient.ValueGrad);
        Assert.Equal(g.Inputs.Single(n => n.Name == "r"), gradient.OutputGrad);
        Assert.True(gradient.IsClosed(Readers(g), new HashSet<Node>(g.Outputs.Select(o => o.Node))));
        // Nothing over the scores' shape is left outside the forward chain and the region.
        var scores = gradient.Forward.Scores.Shape;
        var covered = new HashSet<Node>(gradient.Members.Concat(gradient.Forward.Members));
        Assert.DoesNotContain(g.Nodes, n => n.Shape.Equals(scores) && !covered.Contains(n) && n.OpName is not ("constant" or "input"));
    }

    [Fact]
    public void Inference_has_no_gradient_region()
    {
        var (gradient, _) = Match(FusionAttentionTests.Build());
        Assert.Null(gradient);
    }

    [Fact]
    public void A_region_whose_probabilities_are_also_an_output_is_not_closed()
    {
        var g = FusionAttentionTests.Build(backward: true);
        var (gradient, _) = Match(g);
        var outputs = new HashSet<Node>(g.Outputs.Select(o => o.Node)) { gradient!.Forward.Probabilities };
        Assert.False(gradient.IsClosed(Readers(g), outputs));
        outputs = new HashSet<Node>(g.Outputs.Select(o => o.Node)) { gradient.Intermediates.First() };
        Assert.False(gradient.IsClosed(Readers(g), outputs));
    }
}
