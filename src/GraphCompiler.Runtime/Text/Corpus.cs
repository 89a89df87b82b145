using System.IO.Compression;
using System.Text;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// A text file read as a lazy stream of tokens (<see cref="Tokenizer"/>'s rule). Plain UTF-8 and
/// gzip-compressed UTF-8 are both accepted; gzip is recognised by its magic bytes, not by the
/// file name. Each enumeration of <see cref="Tokens"/> reads the file again from the start, so a
/// corpus larger than memory can be streamed for every epoch.
/// </summary>
public sealed class Corpus
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private Corpus(string path) => Path = path;

    /// <summary>The file this corpus reads.</summary>
    public string Path { get; }

    /// <summary>Opens a corpus file; fails at once if it does not exist.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static Corpus Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"corpus file '{path}' does not exist", path);
        return new Corpus(System.IO.Path.GetFullPath(path));
    }

    /// <summary>All tokens of the file in order, read lazily.</summary>
    /// <exception cref="InvalidDataException">The file is not valid UTF-8 or its gzip stream is corrupt (the message names the file and line).</exception>
    public IEnumerable<string> Tokens()
    {
        using var reader = OpenReader();
        var line = new List<string>();
        long lineNumber = 0;
        while (true)
        {
            string? text;
            try
            {
                text = reader.ReadLine();
            }
            catch (Exception e) when (e is DecoderFallbackException or InvalidDataException)
            {
                throw new InvalidDataException($"corpus file '{Path}': cannot read line {lineNumber + 1}: {e.Message}", e);
            }
            if (text is null) yield break;
            lineNumber++;
            line.Clear();
            Tokenizer.Tokenize(text, line);
            foreach (var token in line) yield return token;
        }
    }

    /// <summary>Tokens of an in-memory text by the same rule (for tests and small inputs).</summary>
    public static IEnumerable<string> TokensOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        var line = new List<string>();
        while (reader.ReadLine() is { } current)
        {
            line.Clear();
            Tokenizer.Tokenize(current, line);
            foreach (var token in line) yield return token;
        }
    }

    private StreamReader OpenReader()
    {
        var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            Stream stream = read == 2 && magic[0] == 0x1F && magic[1] == 0x8B
                ? new GZipStream(file, CompressionMode.Decompress)
                : file;
            return new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
