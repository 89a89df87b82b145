using System.Buffers.Binary;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// A text file, or a directory of text files, read as a lazy stream of tokens (<see cref="Tokenizer"/>'s rule).
/// Plain UTF-8 and gzip-compressed UTF-8 are both accepted; gzip is recognised by its magic bytes, not by the
/// file name, and its trailer (CRC-32 and length) is checked at the end, so a truncated download is an error
/// rather than a silently shorter corpus (a file of several concatenated gzip members is checked against its
/// last member's trailer and is therefore refused). A directory stands for every file under it (subdirectories
/// included, names starting with '.' skipped) in ordinal order of their relative paths. Nothing is held in
/// memory beyond a read buffer: each enumeration of <see cref="Tokens"/>, and each <see cref="OpenReader"/>,
/// reads the files again, so a corpus larger than memory can be streamed for every epoch, and
/// <see cref="Split"/> cuts it into disjoint byte ranges for parallel readers.
/// </summary>
public sealed class Corpus
{
    private readonly string[] _files;
    private readonly long[] _lengths;
    private readonly bool[] _gzip;

    private Corpus(string path, string[] files)
    {
        Path = path;
        _files = files;
        _lengths = new long[files.Length];
        _gzip = new bool[files.Length];
        for (int i = 0; i < files.Length; i++) (_gzip[i], _lengths[i]) = Probe(files[i]);
    }

    /// <summary>The file or directory this corpus reads.</summary>
    public string Path { get; }

    /// <summary>The files read, in order (one for a file corpus).</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>
    /// Each file's text length in bytes: exact for a plain file; for gzip the trailer's length (which is modulo
    /// 2^32, so raised by multiples of 2^32 to at least the compressed size). It only balances <see cref="Split"/>.
    /// </summary>
    public IReadOnlyList<long> TextLengths => _lengths;

    /// <summary>The sum of <see cref="TextLengths"/>.</summary>
    public long TextLength => _lengths.Sum();

    /// <summary>The corpus from its first byte to its end.</summary>
    public CorpusRange Whole => new(new CorpusPosition(0, 0), new CorpusPosition(_files.Length, 0));

    /// <summary>Whether file <paramref name="index"/> is gzip-compressed.</summary>
    public bool IsGzip(int index) => _gzip[index];

    /// <summary>Opens a corpus file or directory; fails at once if it does not exist or a directory holds no file.</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InputFileException">The directory holds no file, or a gzip file is shorter than its header and trailer.</exception>
    public static Corpus Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Where(f => !System.IO.Path.GetRelativePath(full, f).Split(System.IO.Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                .Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw new InputFileException("corpus", full, null, "the directory holds no files");
            return new Corpus(full, files);
        }
        if (!File.Exists(full))
            throw new FileNotFoundException($"corpus file '{path}' does not exist", path);
        return new Corpus(full, [full]);
    }

    /// <summary>All tokens of the corpus in order, read lazily.</summary>
    /// <exception cref="InputFileException">A file is not UTF-8 text (invalid UTF-8, or a NUL byte: a binary file) or its gzip stream is truncated or corrupt (the exception names the file and line).</exception>
    public IEnumerable<string> Tokens()
    {
        using var reader = OpenReader(Whole);
        var tokens = new List<string>();
        while (reader.Read(tokens))
        {
            foreach (var token in tokens) yield return token;
            tokens.Clear();
        }
    }

    /// <summary>A reader of the tokens in <paramref name="range"/> (see <see cref="CorpusRange"/> for where it starts and stops).</summary>
    public CorpusReader OpenReader(CorpusRange range) => new(this, range);

    /// <summary>
    /// <paramref name="parts"/> disjoint ranges of about equal bytes that cover the corpus in order: the data of one of
    /// <paramref name="parts"/> parallel readers (threads, or ranks of a data-parallel job), which together read
    /// every token exactly once.
    /// </summary>
    public IReadOnlyList<CorpusRange> Split(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        long total = TextLength;
        var cuts = new CorpusPosition[parts + 1];
        cuts[0] = Whole.From;
        cuts[parts] = Whole.To;
        for (int k = 1; k < parts; k++) cuts[k] = At((long)((double)total * k / parts));
        return [.. Enumerable.Range(0, parts).Select(k => new CorpusRange(cuts[k], cuts[k + 1]))];
    }

    /// <summary>The offset of <paramref name="position"/> in the files' text laid end to end (by <see cref="TextLengths"/>).</summary>
    public long Offset(CorpusPosition position)
    {
        long offset = 0;
        for (int f = 0; f < Math.Min(position.File, _files.Length); f++) offset += _lengths[f];
        return offset + (position.File < _files.Length ? position.Offset : 0);
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

    // The position of the byte at a global offset into the files' text laid end to end.
    private CorpusPosition At(long offset)
    {
        for (int f = 0; f < _files.Length; f++)
        {
            if (offset < _lengths[f]) return new CorpusPosition(f, offset);
            offset -= _lengths[f];
        }
        return Whole.To;
    }

    // Whether a file is gzip and its text length. The gzip trailer is the file's last 8 bytes: CRC-32 and length (mod 2^32).
    private static (bool Gzip, long Length) Probe(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        if (GzipTrailer(file, path) is not { } trailer) return (false, file.Length);
        long length = trailer.Length;
        while (length < file.Length) length += 1L << 32;
        return (true, length);
    }

    /// <summary>The gzip trailer of an open file (CRC-32 and length mod 2^32 of its text), or null for a plain file; leaves the file at its start.</summary>
    internal static (uint Crc, uint Length)? GzipTrailer(FileStream file, string path)
    {
        Span<byte> magic = stackalloc byte[2];
        file.Position = 0;
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (read < 2 || magic[0] != 0x1F || magic[1] != 0x8B) return null;
        const int HeaderAndTrailer = 18;
        if (file.Length < HeaderAndTrailer)
            throw new InputFileException("corpus", path, null, $"the gzip file is truncated: {file.Length} bytes, shorter than a gzip header and trailer");
        Span<byte> trailer = stackalloc byte[8];
        file.Position = file.Length - 8;
        file.ReadExactly(trailer);
        file.Position = 0;
        return (BinaryPrimitives.ReadUInt32LittleEndian(trailer), BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]));
    }
}
