using System.IO.Compression;
using System.Text;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

/// <summary>Directories, byte ranges and resumable positions of a streamed corpus.</summary>
public class CorpusReaderTests
{
    // Two plain files and a gzip one in a subdirectory, with CRLF, a BOM, no final newline, non-ASCII words and a
    // line of 100,000 bytes (past the reader's 64 KiB records); a hidden file that must not be read.
    private static Corpus MixedCorpus(TempDirectory dir)
    {
        var rng = new Random(5);
        string Line(int words) => string.Join(rng.Next(3) == 0 ? "\t" : " ", Enumerable.Range(0, words).Select(_ => Word(rng)));
        File.WriteAllText(dir.File("a.txt"), "\uFEFF" + string.Join("\r\n", Enumerable.Range(0, 300).Select(i => Line(i % 17))));
        Directory.CreateDirectory(dir.File("sub"));
        Gzip(dir.File("sub/b.gz"), string.Join('\n', Enumerable.Range(0, 200).Select(i => Line(i % 23))) + "\n");
        File.WriteAllText(dir.File("c.txt"), Line(14_000) + "\n" + Line(9) + "\n\n");
        File.WriteAllText(dir.File(".hidden"), "never read");
        return Corpus.Open(dir.Path);
    }

    private static string Word(Random rng) => rng.Next(6) switch
    {
        0 => "Straße",
        1 => "don't",
        2 => "naïve",
        _ => "w" + rng.Next(50),
    };

    private static void Gzip(string path, string text)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(text));
    }

    private static List<string> Read(Corpus corpus, CorpusRange range)
    {
        using var reader = corpus.OpenReader(range);
        var tokens = new List<string>();
        while (reader.Read(tokens)) { }
        return tokens;
    }

    private static List<string> Expected(TempDirectory dir) =>
    [
        .. Corpus.Open(dir.File("a.txt")).Tokens(),
        .. Corpus.Open(dir.File("c.txt")).Tokens(),
        .. Corpus.Open(dir.File("sub/b.gz")).Tokens(),
    ];

    [Fact]
    public void A_directory_is_its_files_in_ordinal_order_of_their_paths_without_hidden_ones()
    {
        using var dir = new TempDirectory();
        var corpus = MixedCorpus(dir);
        Assert.Equal([dir.File("a.txt"), dir.File("c.txt"), dir.File("sub/b.gz")], corpus.Files);
        Assert.True(corpus.IsGzip(2));
        Assert.Equal(new FileInfo(dir.File("a.txt")).Length, corpus.TextLengths[0]);
        Assert.Equal(Encoding.UTF8.GetByteCount(Decompress(dir.File("sub/b.gz"))), corpus.TextLengths[2]);
        Assert.Equal(Expected(dir), corpus.Tokens());
        Assert.DoesNotContain("hidden", corpus.Tokens());
    }

    [Fact]
    public void Split_ranges_read_every_token_exactly_once()
    {
        using var dir = new TempDirectory();
        var corpus = MixedCorpus(dir);
        var whole = corpus.Tokens().ToList();
        foreach (int parts in new[] { 1, 2, 3, 7, 64 })
        {
            var ranges = corpus.Split(parts);
            Assert.Equal(parts, ranges.Count);
            Assert.Equal(corpus.Whole.From, ranges[0].From);
            Assert.Equal(corpus.Whole.To, ranges[^1].To);
            Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
            Assert.Equal(whole, ranges.SelectMany(range => Read(corpus, range)));
        }
    }

    [Fact]
    public void Ranges_cut_anywhere_meet_at_the_next_whitespace_boundary()
    {
        using var dir = new TempDirectory();
        var corpus = MixedCorpus(dir);
        var whole = corpus.Tokens().ToList();
        var rng = new Random(11);
        for (int trial = 0; trial < 40; trial++)
        {
            // Cuts at random bytes of random files, some at offset 0 and some past a file's end.
            var cuts = Enumerable.Range(0, rng.Next(1, 6))
                .Select(_ => rng.Next(corpus.Files.Count) is var f ? new CorpusPosition(f, rng.Next(4) == 0 ? 0 : rng.NextInt64(corpus.TextLengths[f] + 3)) : default)
                .Append(corpus.Whole.From).Append(corpus.Whole.To).Distinct().Order().ToList();
            var tokens = cuts.Zip(cuts.Skip(1)).SelectMany(cut => Read(corpus, new CorpusRange(cut.First, cut.Second)));
            Assert.Equal(whole, tokens);
        }
    }

    [Fact]
    public void A_reader_reopened_at_its_position_reads_the_rest()
    {
        using var dir = new TempDirectory();
        var corpus = MixedCorpus(dir);
        var whole = corpus.Tokens().ToList();
        foreach (int records in new[] { 0, 1, 150, 300, 301, 330, 420 })
        {
            var head = new List<string>();
            CorpusPosition at;
            using (var reader = corpus.OpenReader(corpus.Whole))
            {
                for (int i = 0; i < records && reader.Read(head); i++) { }
                at = reader.Position;
            }
            Assert.Equal(whole, head.Concat(Read(corpus, corpus.Whole with { From = at })));
        }
    }

    [Fact]
    public void Bytes_read_by_all_ranges_are_the_text_length()
    {
        using var dir = new TempDirectory();
        var corpus = MixedCorpus(dir);
        long bytes = 0;
        foreach (var range in corpus.Split(5))
        {
            using var reader = corpus.OpenReader(range);
            while (reader.Read([])) { }
            bytes += reader.BytesRead;
        }
        Assert.Equal(corpus.TextLength, bytes);
    }

    [Fact]
    public void An_empty_directory_is_refused()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<InputFileException>(() => Corpus.Open(dir.Path));
        Assert.Contains("no files", e.Reason);
    }

    [Fact]
    public void Errors_after_a_mid_file_start_name_the_byte()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bad.txt"), [.. "first line\nsecond "u8, 0xE9, (byte)'\n']);
        var corpus = Corpus.Open(dir.File("bad.txt"));
        var e = Assert.Throws<InputFileException>(() => Read(corpus, corpus.Whole with { From = new CorpusPosition(0, 13) }));
        Assert.Null(e.Line);
        Assert.Contains("byte 18 is not valid UTF-8", e.Reason);
    }

    private static string Decompress(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }
}
