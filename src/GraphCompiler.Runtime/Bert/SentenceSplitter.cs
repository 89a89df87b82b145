using System.Text;

namespace GraphCompiler.Runtime.Bert;

/// <summary>
/// Splits prose into sentences. Lines are joined within a paragraph (hard-wrapped text) and a blank line ends a
/// paragraph, which always ends a sentence. Inside a paragraph a sentence ends after <c>.</c>, <c>!</c> or
/// <c>?</c> (with any closing quotes and brackets after it) when whitespace and then an upper-case letter, a
/// digit or an opening quote follow, unless the word before a full stop is a title or other abbreviation
/// (<c>Mr.</c>, <c>Mrs.</c>, <c>St.</c>, …) or a single capital other than <c>I</c> (an initial).
/// </summary>
public static class SentenceSplitter
{
    // Abbreviations that are followed by a capitalised name in English prose of the corpus's kind.
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "st", "messrs", "mme", "col", "capt", "gen", "lt", "sgt", "rev", "hon", "esq", "jr", "sr",
        "vs", "viz", "etc", "ch", "vol", "no", "co",
    };

    /// <summary>The sentences of <paramref name="text"/>, each trimmed and with its inner whitespace collapsed to single spaces.</summary>
    public static List<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<string>();
        foreach (var paragraph in Paragraphs(text)) SplitParagraph(paragraph, sentences);
        return sentences;
    }

    /// <summary>The paragraphs of <paramref name="text"/>: runs of non-blank lines joined by single spaces.</summary>
    public static IEnumerable<string> Paragraphs(string text)
    {
        var paragraph = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                if (paragraph.Length > 0) yield return paragraph.ToString();
                paragraph.Clear();
                continue;
            }
            if (paragraph.Length > 0) paragraph.Append(' ');
            paragraph.Append(line);
        }
        if (paragraph.Length > 0) yield return paragraph.ToString();
    }

    private static void SplitParagraph(string paragraph, List<string> into)
    {
        var text = string.Join(' ', paragraph.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('.' or '!' or '?')) continue;
            int end = i + 1;
            while (end < text.Length && IsClosing(text[end])) end++;
            if (end + 1 >= text.Length || text[end] != ' ' || !StartsSentence(text[end + 1])) continue;
            if (text[i] == '.' && IsAbbreviation(text, i)) continue;
            into.Add(text[start..end]);
            start = end + 1;
            i = end;
        }
        if (start < text.Length) into.Add(text[start..]);
    }

    private static bool IsClosing(char c) => c is '"' or '\'' or ')' or ']' or '\u201D' or '\u2019' or '.' or '!' or '?';

    private static bool StartsSentence(char c) => char.IsUpper(c) || char.IsDigit(c) || c is '"' or '\'' or '(' or '\u201C' or '\u2018';

    // The word that ends at the full stop at index dot.
    private static bool IsAbbreviation(string text, int dot)
    {
        int begin = dot;
        while (begin > 0 && char.IsLetter(text[begin - 1])) begin--;
        var word = text.AsSpan(begin, dot - begin);
        return (word.Length == 1 && char.IsUpper(word[0]) && word[0] != 'I') || Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
    }
}
