namespace CharRnn;

/// <summary>
/// The characters the models read and write: newline, the 95 printable ASCII characters, and one id for
/// every other character (shown as '?'). Fixed, so that the model's sizes are compile-time constants.
/// </summary>
public static class Vocabulary
{
    public const int Size = 97;
    private const int Other = 96;

    public static int Id(char c) => c == '\n' ? 0 : c >= ' ' && c <= '~' ? c - ' ' + 1 : Other;

    public static char Char(int id) => id == 0 ? '\n' : id == Other ? '?' : (char)(' ' + id - 1);

    public static int[] Encode(string text)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++) ids[i] = Id(text[i]);
        return ids;
    }
}
