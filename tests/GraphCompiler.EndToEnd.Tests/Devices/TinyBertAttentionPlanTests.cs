using System.Reflection;
using GraphCompiler.Compiler.Backends.Ilgpu;
using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Kernels;
using GraphCompiler.Compiler.Passes;

namespace GraphCompiler.EndToEnd.Tests.Devices;

/// <summary>
/// The TinyBert sample's models compiled for the ILGPU back end: every encoder layer's self-attention is one fused
/// attention kernel, in the pre-training step (storing only its output, row maxima and sums, which the fused backward
/// reads) and in prediction (storing only its output); the train step's attention gradients are one fused backward per
/// layer, and no other kernel computes anything over the scores [batch, heads, 64, 64], forward or backward.
/// </summary>
public class TinyBertAttentionPlanTests
{
    private const int Layers = 2, Heads = 4, Sequence = 64;

    private static string Ir(string entry)
    {
        var dll = Path.Combine(TestRepository.Root, "samples", "TinyBert", "bin", TestRepository.Configuration, "net10.0", "TinyBert.dll");
        var ir = Assembly.LoadFrom(dll).GetType("TinyBert.TinyBertPretraining+Ir", throwOnError: true)!.GetField(entry)!;
        return (string)ir.GetRawConstantValue()!;
    }

    [Theory]
    [InlineData("TrainStep", true)]
    [InlineData("Predict", false)]
    public void Every_layer_attends_in_one_fused_kernel(string entry, bool training)
    {
        var compiled = PassPipeline.Compile(GraphText.Parse(Ir(entry)), IlgpuCapabilities.Instance, training: training);
        var attention = compiled.Descriptions.OfType<AttentionCall>().ToList();
        Assert.Equal(Layers, attention.Count);
        foreach (var call in attention)
        {
            Assert.Equal(Shape.Of(Dim.Sym("batch"), Heads, Sequence, Sequence), call.Chain.Scores.Shape);
            Assert.Single(call.Chain.Biases); // the padding mask's −1e9 term, read per key
            var stored = new[] { call.Chain.Max, call.Chain.Exps, call.Chain.Sums, call.Chain.Probabilities }.Where(p => call.Stored(p) is not null).ToList();
            Assert.Equal(training ? new[] { call.Chain.Max, call.Chain.Sums } : [], stored);
        }
        var backward = compiled.Descriptions.OfType<AttentionGradientCall>().ToList();
        Assert.Equal(training ? Layers : 0, backward.Count);
        var fused = new HashSet<Node>(attention.SelectMany(a => a.Source.Members).Concat(backward.SelectMany(b => b.Source.Members)));
        static bool OverScores(Node m) => m.Shape.Rank == 4 && m.Shape[2].Equals(Dim.Of(Sequence)) && m.Shape[3].Equals(Dim.Of(Sequence));
        Assert.DoesNotContain(compiled.Descriptions.SelectMany(d => d.Source.Members), m => !fused.Contains(m) && OverScores(m));
        Assert.DoesNotContain(compiled.Descriptions.SelectMany(d => d.Outputs), OverScores);
    }
}
