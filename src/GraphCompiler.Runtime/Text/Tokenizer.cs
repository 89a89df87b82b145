using System.Globalization;
using System.Text;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// The one tokenisation rule for every corpus (the shipped one and any <c>--corpus PATH</c>).
/// </summary>
/// <remarks>
/// A token is a maximal run of word characters — Unicode letters (L*), combining marks (M*) and
/// decimal digits (Nd) — lower-cased with the invariant culture. An apostrophe (U+0027 or the
/// typographic U+2019) with a word character on both sides stays inside the token and is written
/// as U+0027, so <c>Don’t</c> becomes <c>don't</c> and <c>Emma's</c> stays one token. Every other
/// character (whitespace, punctuation, hyphens and dashes, underscores, symbols) separates tokens
/// and is dropped: <c>ago--never</c> gives <c>ago</c>, <c>never</c>; <c>twenty-one</c> gives
/// <c>twenty</c>, <c>one</c>. Tokens never span a line break.
/// </remarks>
public static class Tokenizer
{
    /// <summary>Splits one line (or any text) into tokens by the rule above.</summary>
    public static List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        Tokenize(text, tokens);
        return tokens;
    }

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="into"/>.</summary>
    public static void Tokenize(ReadOnlySpan<char> text, List<string> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var token = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (IsWordChar(text, i))
            {
                token.Append(char.ToLowerInvariant(c));
                // A surrogate pair is one character: keep its low half with it.
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    token.Append(text[++i]);
            }
            else if (IsApostrophe(c) && token.Length > 0 && i + 1 < text.Length && IsWordChar(text, i + 1))
            {
                token.Append('\'');
            }
            else if (token.Length > 0)
            {
                into.Add(LowerSurrogates(token));
                token.Clear();
            }
        }
        if (token.Length > 0) into.Add(LowerSurrogates(token));
    }

    private static bool IsApostrophe(char c) => c == '\'' || c == '\u2019';

    private static bool IsWordChar(ReadOnlySpan<char> text, int index)
    {
        var category = char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[index], text[index + 1]))
            : CharUnicodeInfo.GetUnicodeCategory(text[index]);
        switch (category)
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.DecimalDigitNumber:
                return true;
            default:
                return false;
        }
    }

    // char.ToLowerInvariant cannot lower a supplementary-plane letter one half at a time;
    // string.ToLowerInvariant can. Only pay for it when such a pair is present.
    private static string LowerSurrogates(StringBuilder token)
    {
        var text = token.ToString();
        foreach (var c in text)
            if (char.IsSurrogate(c)) return text.ToLowerInvariant();
        return text;
    }
}
