using TinyBert;
using static TinyBert.TinyBertNetwork;

namespace GraphCompiler.Benchmarks.Compare;

public static partial class CompareCases
{
    /// <summary>One pre-training step of the TinyBert sample's model: batch 32, 64 tokens, 10 masked-LM predictions each, AdamW.</summary>
    public const string TinyBertName = "tiny_bert_step";

    private const int TinyBertBatch = 32;

    // A fixed random batch shaped like the sample's (pytorch_reference.py builds the same kind): the last 8
    // positions are padding, the second half before them is segment 1, 10 distinct predicted positions per row.
    private static PretrainingInputs TinyBertInputs()
    {
        var random = new Random(31);
        int n = TinyBertBatch * Sequence;
        int[] ids = new int[n], segments = new int[n], mask = new int[n];
        int[] positions = new int[TinyBertBatch * MaxPredictions], labels = new int[positions.Length], next = new int[TinyBertBatch];
        for (int b = 0; b < TinyBertBatch; b++)
        {
            for (int t = 0; t < Sequence - 8; t++)
            {
                ids[b * Sequence + t] = random.Next(5, Vocabulary);
                mask[b * Sequence + t] = 1;
                segments[b * Sequence + t] = t >= Sequence / 2 ? 1 : 0;
            }
            var chosen = Enumerable.Range(1, Sequence - 9).OrderBy(_ => random.Next()).Take(MaxPredictions).ToArray();
            for (int k = 0; k < MaxPredictions; k++)
            {
                positions[b * MaxPredictions + k] = chosen[k];
                labels[b * MaxPredictions + k] = random.Next(5, Vocabulary);
            }
            next[b] = random.Next(2);
        }
        return new PretrainingInputs(ids, segments, mask, positions, labels, next);
    }

    private static CompareCase TinyBertStep()
    {
        var inputs = TinyBertInputs();
        var model = new TinyBertPretraining(seed: 1);
        // BERT's schedule over the default run, as the sample and the PyTorch twin's LambdaLR apply it.
        var schedule = Pretraining.Schedule(1e-3f, TinyBertPretraining.PretrainingSteps);
        float Step(TinyBertPretraining m) => inputs.TrainStep(m, schedule.ValueAt(m.GlobalStep));
        return new CompareCase(
            TinyBertName,
            n => { for (int i = 0; i < n; i++) Step(model); },
            RunBaseline: null,
            // The layers are checked against the reference interpreter and finite differences by their own tests; here
            // that the step is the model it should be: random labels over 5,000 tokens and 2 classes start near
            // ln 5000 + ln 2 = 9.2, and 30 steps on the one batch lower the loss.
            () =>
            {
                var fresh = new TinyBertPretraining(seed: 1);
                float first = Step(fresh), last = first;
                for (int i = 0; i < 30; i++) last = Step(fresh);
                return Math.Abs(first - (Math.Log(Vocabulary) + Math.Log(2))) < 0.5 && last < first - 0.5 ? 0 : 1;
            });
    }
}
