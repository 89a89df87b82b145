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

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="into"/> as strings.</summary>
    public static void Tokenize(ReadOnlySpan<char> text, List<string> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var spans = new TokenSpans();
        Tokenize(text, spans);
        spans.AppendTo(into);
    }

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="into"/> without allocating a string per token.</summary>
    public static void Tokenize(ReadOnlySpan<char> text, TokenSpans into)
    {
        ArgumentNullException.ThrowIfNull(into);
        // A token is never longer than the text it comes from (invariant lower-casing keeps the length).
        var output = into.Free(text.Length);
        int written = 0, start = 0;
        bool surrogates = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            // ASCII's word characters are its letters and digits, and c | 0x20 lower-cases them all (a digit has the
            // bit already): the common case costs a compare and no call.
            if (char.IsAsciiLetterOrDigit(c))
            {
                output[written++] = (char)(c | 0x20);
            }
            else if (!char.IsAscii(c) && IsWordChar(text, i))
            {
                output[written++] = char.ToLowerInvariant(c);
                // A surrogate pair is one character: keep its low half with it.
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    output[written++] = text[++i];
                    surrogates = true;
                }
            }
            else if (IsApostrophe(c) && written > start && i + 1 < text.Length && IsWordChar(text, i + 1))
            {
                output[written++] = '\'';
            }
            else if (written > start)
            {
                End(into, output[start..written], surrogates);
                start = written;
                surrogates = false;
            }
        }
        if (written > start) End(into, output[start..written], surrogates);
    }

    private static bool IsApostrophe(char c) => c == '\'' || c == '\u2019';

    private static bool IsWordChar(ReadOnlySpan<char> text, int index)
    {
        char c = text[index];
        if (char.IsAscii(c)) return char.IsAsciiLetterOrDigit(c);
        return IsWordChar(char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? new Rune(c, text[index + 1])
            : Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar);
    }

    // A lone surrogate (no Rune) is a separator; so is U+FFFD, which stands for it above.
    internal static bool IsWordChar(Rune rune)
    {
        switch (Rune.GetUnicodeCategory(rune))
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

    // char.ToLowerInvariant cannot lower a supplementary-plane letter one half at a time; string.ToLowerInvariant
    // can (keeping the length). Only pay for it when such a pair is present.
    private static void End(TokenSpans into, Span<char> token, bool surrogates)
    {
        if (surrogates) new string(token).ToLowerInvariant().AsSpan().CopyTo(token);
        into.Add(token.Length);
    }
}
