namespace GraphCompiler.Runtime.Text;

/// <summary>
/// A place in a <see cref="Corpus"/>: the index of one of its <see cref="Corpus.Files"/> and a byte offset into
/// that file's text (after decompression for a gzip file). Positions order by file, then offset.
/// </summary>
public readonly record struct CorpusPosition(int File, long Offset) : IComparable<CorpusPosition>
{
    /// <inheritdoc/>
    public int CompareTo(CorpusPosition other) => File != other.File ? File.CompareTo(other.File) : Offset.CompareTo(other.Offset);
}

/// <summary>
/// A byte range of a corpus, [<see cref="From"/>, <see cref="To"/>), as <see cref="Corpus.Split"/> cuts it. A reader of
/// the range moves both ends forward to the next whitespace boundary (a position right after an ASCII whitespace byte,
/// or a file's start), so adjacent ranges share no token and together read every token once.
/// </summary>
public readonly record struct CorpusRange(CorpusPosition From, CorpusPosition To);
