using System.Text;
using GraphCompiler.Runtime;

namespace CharRnn;

/// <summary>Writes text with the stateful one-character step: the prompt read in, then each sampled character fed back.</summary>
public static class Generation
{
    public static string Write(ICharModel model, string prompt, int length, double temperature, Random random)
    {
        RecurrentStates.Reset(model);
        var text = new StringBuilder(prompt);
        float[] logits = [];
        foreach (var c in prompt.Length == 0 ? "\n" : prompt) logits = model.Next([Vocabulary.Id(c)]).Data;
        for (int i = 0; i < length; i++)
        {
            int id = Sample(logits, temperature, random);
            text.Append(Vocabulary.Char(id));
            logits = model.Next([id]).Data;
        }
        return text.ToString();
    }

    /// <summary>A draw from softmax(logits / temperature): lower temperatures pick likely characters more often.</summary>
    public static int Sample(ReadOnlySpan<float> logits, double temperature, Random random)
    {
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l / temperature);
        var weights = new double[logits.Length];
        double total = 0;
        for (int i = 0; i < logits.Length; i++) total += weights[i] = Math.Exp(logits[i] / temperature - max);
        double u = random.NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Length - 1;
    }
}
