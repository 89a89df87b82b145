namespace GraphCompiler.Runtime.Bert;

/// <summary>
/// Two segments for next-sentence prediction: <see cref="Second"/> follows <see cref="First"/> in its document
/// (<see cref="IsNext"/>) or is a sentence from another document. Both are piece ids without special tokens.
/// </summary>
public sealed record SentencePair(int[] First, int[] Second, bool IsNext)
{
    /// <summary>BERT's next-sentence label: 0 when <see cref="Second"/> is the next sentence, 1 when it is random.</summary>
    public int NextSentenceLabel => IsNext ? 0 : 1;
}
