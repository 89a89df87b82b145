namespace CountVectors;

/// <summary>
/// What one method produced: its vectors (one row per vocabulary word, row-major), the seconds it took
/// from the encoded corpus to the vectors (vocabulary building excluded, for every method alike), the
/// processor seconds of all its threads (on a shared machine the steadier measure of work), and
/// method-specific facts for metrics.json.
/// </summary>
public sealed record TrainedVectors(Method Method, double Seconds, double CpuSeconds, float[] Vectors, int Dim, IReadOnlyList<string> Words, IReadOnlyList<long> Counts, IReadOnlyDictionary<string, object?> Details);

/// <summary>The scores every method is compared on (null where the evaluation file is missing or nothing was covered).</summary>
public sealed record Scores(double? AnalogyAccuracy, int AnalogyAnswered, int AnalogyQuestions, double? WordSim, int WordSimAnswered, double? SimLex, int SimLexAnswered);
