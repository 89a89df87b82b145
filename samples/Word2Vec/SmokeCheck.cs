using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Runtime.Training;
using GraphCompiler.Samples;

namespace Word2Vec;

/// <summary>
/// <c>--smoke</c>: the runtime's smoke test on the first batch the corpus streams (one step: the loss, each table's
/// gradient norm and the step time; then overfitting that batch, which must lower its loss), at the run's learning
/// rate and loss, before any run directory is made. A failure leaves with <see cref="ExitCodes.SmokeTestFailed"/>.
/// </summary>
public static class SmokeCheck
{
    /// <summary>Runs the smoke test on <paramref name="model"/>; returns the exit code, or throws <see cref="SmokeTestFailedException"/>.</summary>
    public static int Run(SkipGram model, Corpus corpus, Vocabulary vocabulary, Options options)
    {
        var whole = corpus.Whole;
        var first = StreamBatches.For(corpus, vocabulary, options).From(whole, thread: 0, threads: 1, StreamPosition.StartOf(0, whole, 0)).First().Batch
            ?? throw StreamBatches.NoBatch(options, corpus.Path);
        model.Fit(Dataset.FromEnumerable(() => new[] { first }), learningRate: options.LearningRate, smokeTest: true);
        return ExitCodes.Success;
    }
}
