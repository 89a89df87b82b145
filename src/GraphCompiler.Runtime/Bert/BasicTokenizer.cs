using System.Globalization;
using System.Text;

namespace GraphCompiler.Runtime.Bert;

/// <summary>
/// BERT's "basic" (uncased) tokenisation, which runs before word pieces: text is lower-cased with the
/// invariant culture, accents are stripped (NFD, then combining marks dropped), control characters are
/// dropped, and it is split on whitespace and around every punctuation character, each of which is a
/// word of its own. Punctuation is any Unicode P* character and every ASCII character that is neither a
/// letter, a digit nor whitespace (so <c>$</c> and <c>`</c> count, as in BERT).
/// </summary>
/// <remarks>
/// <c>“Don’t,” said Emma.</c> becomes <c>“ don ’ t , ” said emma .</c>. Unlike the Word2Vec
/// <see cref="Text.Tokenizer"/>, nothing is dropped: a sentence can be written back from its words.
/// </remarks>
public static class BasicTokenizer
{
    /// <summary>The words of <paramref name="text"/>.</summary>
    public static List<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in Normalize(text))
        {
            if (char.IsWhiteSpace(c) || IsPunctuation(c))
            {
                if (word.Length > 0) words.Add(word.ToString());
                word.Clear();
                if (IsPunctuation(c)) words.Add(c.ToString());
            }
            else if (!char.IsControl(c) && c != '\uFFFD') word.Append(c);
        }
        if (word.Length > 0) words.Add(word.ToString());
        return words;
    }

    /// <summary>BERT's punctuation rule (see the type's summary).</summary>
    public static bool IsPunctuation(char c)
    {
        if (c < 128) return !char.IsAsciiLetterOrDigit(c) && !char.IsWhiteSpace(c) && !char.IsControl(c);
        return char.GetUnicodeCategory(c) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    // Lower case, then decompose and drop the combining marks: "Café" -> "cafe".
    private static string Normalize(string text)
    {
        var decomposed = text.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) kept.Append(c);
        return kept.ToString();
    }
}
