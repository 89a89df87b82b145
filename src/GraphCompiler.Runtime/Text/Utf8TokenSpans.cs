namespace GraphCompiler.Runtime.Text;

/// <summary>
/// Tokens as spans of UTF-8 bytes (<see cref="Utf8Tokenizer"/>, <see cref="CorpusReader.Read(Utf8TokenSpans)"/>),
/// looked up with <see cref="Vocabulary.IdOf(ReadOnlySpan{byte})"/> and <see cref="VocabularyCounter.Add(ReadOnlySpan{byte})"/>:
/// the streaming passes' form, with no decoding of the text to characters.
/// </summary>
public sealed class Utf8TokenSpans : TokenBuffer<byte>
{
}
