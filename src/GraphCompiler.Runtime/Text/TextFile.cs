using System.IO.Compression;
using System.Text;

namespace GraphCompiler.Runtime.Text;

/// <summary>Reads a whole UTF-8 text file, plain or gzip-compressed (recognised by its magic bytes, as <see cref="Corpus"/> does).</summary>
public static class TextFile
{
    /// <summary>The text of <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InputFileException">The file is not valid UTF-8, or its gzip stream is corrupt.</exception>
    public static string ReadAllText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"no file at {path}", path);
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        bool gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is DecoderFallbackException or InvalidDataException)
        {
            throw new InputFileException("text file", path, null, gzip ? $"corrupt gzip or not UTF-8 text ({e.Message})" : $"not UTF-8 text ({e.Message})", e);
        }
    }
}
