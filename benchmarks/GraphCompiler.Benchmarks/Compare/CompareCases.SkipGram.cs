using GraphCompiler.Benchmarks.Baselines;
using GraphCompiler.Benchmarks.Models;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Benchmarks.Compare;

public static partial class CompareCases
{
    /// <summary>The word2vec step: 128 pairs, 5 negatives, Zipf-like ids as in a real corpus.</summary>
    public const string SkipGramName = "skipgram_negative_128";

    private static CompareCase SkipGram()
    {
        const int batch = 128, negatives = 5, steps = 256;
        const float learningRate = 0.025f;
        var random = new Random(5);
        // Log-uniform ids: frequent words (small ids) dominate, as in a frequency-sorted vocabulary.
        int Zipf() => Math.Min(SkipGramNegativeModel.Vocabulary - 1, (int)Math.Exp(random.NextDouble() * Math.Log(SkipGramNegativeModel.Vocabulary + 1.0)) - 1);
        int[][] Draw(int size) => Enumerable.Range(0, steps).Select(_ => Enumerable.Range(0, size).Select(_ => Zipf()).ToArray()).ToArray();
        // Noise words as word2vec draws them: unigram^0.75 of Zipf counts (flatter than the pairs' ids).
        var sampler = new NegativeSampler(Enumerable.Range(0, SkipGramNegativeModel.Vocabulary).Select(r => 1_000_000L / (r + 1)).ToArray(), seed: 7);
        var noise = Enumerable.Range(0, steps).Select(_ => { var ids = new int[batch * negatives]; sampler.Fill(ids); return ids; }).ToArray();
        var (centers, contexts) = (Draw(batch), Draw(batch));
        var model = new SkipGramNegativeModel(seed: 1);
        var handWritten = HandWritten(model);
        int next = 0, nextBaseline = 0;
        return new CompareCase(
            SkipGramName,
            n => { for (int i = 0; i < n; i++, next = (next + 1) % steps) model.TrainStep(centers[next], contexts[next], noise[next], learningRate); },
            n => { for (int i = 0; i < n; i++, nextBaseline = (nextBaseline + 1) % steps) handWritten.TrainStep(centers[nextBaseline], contexts[nextBaseline], noise[nextBaseline], learningRate); },
            () =>
            {
                var fresh = new SkipGramNegativeModel(seed: 2);
                var reference = HandWritten(fresh);
                double worst = 0;
                for (int s = 0; s < 5; s++)
                    worst = Math.Max(worst, Agreement.RelativeDifference(
                        fresh.TrainStep(centers[s], contexts[s], noise[s], learningRate),
                        reference.TrainStep(centers[s], contexts[s], noise[s], learningRate)));
                worst = Math.Max(worst, Agreement.MaxRelativeDifference(fresh.Variables.EmbedMatrix.Data, reference.Embed));
                return Math.Max(worst, Agreement.MaxRelativeDifference(fresh.Variables.NceWeight.Data, reference.Weights));
            });
    }

    private static HandWrittenSkipGram HandWritten(SkipGramNegativeModel model) =>
        new((float[])model.Variables.EmbedMatrix.Data.Clone(), (float[])model.Variables.NceWeight.Data.Clone(), SkipGramNegativeModel.Dim);
}
