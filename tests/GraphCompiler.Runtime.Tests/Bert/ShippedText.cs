using GraphCompiler.Runtime.Tests.Text;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Bert;

/// <summary>Pieces of the shipped corpus for the BERT data tests: Austen to train on, Melville and the Bible held out.</summary>
internal static class ShippedText
{
    private static readonly Lazy<string> Whole = new(() => TextFile.ReadAllText(TestRepository.File("samples", "Word2Vec", "data", "corpus.txt.gz")));

    /// <summary>The first characters of the corpus (Austen's <i>Sense and Sensibility</i> and on).</summary>
    public static string Training(int characters) => Whole.Value[..characters];

    /// <summary>Text the training part never saw: a passage of <i>Moby-Dick</i> and one of the Bible.</summary>
    public static string HeldOut(int characters)
    {
        var text = Whole.Value;
        int moby = text.IndexOf("CHAPTER 1. Loomings.", StringComparison.Ordinal);
        int bible = text.IndexOf("In the beginning, God created", StringComparison.Ordinal);
        return text.Substring(moby, characters / 2) + "\n\n" + text.Substring(bible, characters / 2);
    }
}
