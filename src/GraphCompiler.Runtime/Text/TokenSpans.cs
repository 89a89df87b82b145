namespace GraphCompiler.Runtime.Text;

/// <summary>
/// Tokens as spans of characters (<see cref="Tokenizer.Tokenize(ReadOnlySpan{char}, TokenSpans)"/>,
/// <see cref="CorpusReader.Read(TokenSpans)"/>), looked up with <see cref="Vocabulary.IdOf(ReadOnlySpan{char})"/> and
/// <see cref="VocabularyCounter.Add(ReadOnlySpan{char})"/>.
/// </summary>
public sealed class TokenSpans : TokenBuffer<char>
{
    /// <summary>Appends each token as a new string to <paramref name="into"/>.</summary>
    public void AppendTo(List<string> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        foreach (var token in this) into.Add(new string(token));
    }
}
