using GraphCompiler.Runtime.Bert;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Samples;

namespace TinyBert;

/// <summary>
/// The shipped corpus as its three books (Austen's six novels, <i>Moby-Dick</i>, the World English Bible), each cut
/// into sentences and the sentences into documents of <see cref="DocumentSentences"/> consecutive ones. Every
/// <see cref="HeldOutEvery"/>-th document of each book is held out: the tokenizer, pre-training and the classifier's
/// training never see it, and every held-out figure is measured on it.
/// </summary>
public sealed class BookCorpus
{
    /// <summary>Sentences per document: a random next sentence comes from another document, usually far away.</summary>
    public const int DocumentSentences = 50;

    /// <summary>One document in this many is held out.</summary>
    public const int HeldOutEvery = 10;

    /// <summary>The books' names, by class id.</summary>
    public static readonly string[] BookNames = ["Austen", "Melville", "Bible"];

    // The first line of each book after the first, as the corpus's README lists them.
    private static readonly string[] BookStarts = ["MOBY DICK; OR THE WHALE", "The Holy Bible is a collection of books"];

    private BookCorpus(List<string>[] training, List<string>[] heldOut)
    {
        Training = training;
        HeldOut = heldOut;
    }

    /// <summary>Per book, its training documents' sentences in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Training { get; }

    /// <summary>Per book, its held-out documents' sentences in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> HeldOut { get; }

    /// <summary>Reads and splits the corpus at <paramref name="path"/>.</summary>
    public static BookCorpus Load(string path)
    {
        var text = TextFile.ReadAllText(path);
        var starts = BookStarts.Select(marker => text.IndexOf(marker, StringComparison.Ordinal)).ToArray();
        if (starts.Any(s => s < 0))
            throw new UserError("corpus", $"not the shipped corpus: the books start with \"{string.Join("\", \"", BookStarts)}\"", path);
        string[] books = [text[..starts[0]], text[starts[0]..starts[1]], text[starts[1]..]];
        var training = new List<string>[books.Length];
        var heldOut = new List<string>[books.Length];
        for (int b = 0; b < books.Length; b++)
        {
            (training[b], heldOut[b]) = ([], []);
            var sentences = SentenceSplitter.Split(books[b]);
            for (int start = 0, document = 0; start < sentences.Count; start += DocumentSentences, document++)
                (document % HeldOutEvery == HeldOutEvery - 1 ? heldOut[b] : training[b])
                    .AddRange(sentences.Skip(start).Take(DocumentSentences));
        }
        return new BookCorpus(training, heldOut);
    }

    /// <summary>
    /// The documents of <paramref name="books"/> (each book's sentences, in order) as piece ids, cut every
    /// <see cref="DocumentSentences"/> sentences, for <see cref="SentencePairs.Build"/>.
    /// </summary>
    public static List<IReadOnlyList<int[]>> Documents(IReadOnlyList<IReadOnlyList<string>> books, WordPieceVocabulary vocabulary) =>
        [.. books.SelectMany(book => book.Chunk(DocumentSentences))
            .Select(chunk => (IReadOnlyList<int[]>)[.. chunk.Select(vocabulary.Encode)])];
}
