using System.IO.Compression;
using System.Text;
using GraphCompiler.Runtime.Text;

namespace GraphCompiler.Runtime.Tests.Text;

public class CorpusTests
{
    private const string Sample = "It is a truth universally acknowledged,\nthat a single man--in possession\r\nof a good fortune.\n";
    private static readonly string[] SampleTokens =
        ["it", "is", "a", "truth", "universally", "acknowledged", "that", "a", "single", "man", "in", "possession", "of", "a", "good", "fortune"];

    [Fact]
    public void Reads_plain_text_as_tokens()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plain.txt"), Sample);
        Assert.Equal(SampleTokens, Corpus.Open(dir.File("plain.txt")).Tokens());
    }

    [Fact]
    public void Reads_gzip_recognised_by_content_not_name()
    {
        using var dir = new TempDirectory();
        WriteGzip(dir.File("packed.txt"), Encoding.UTF8.GetBytes(Sample));
        Assert.Equal(SampleTokens, Corpus.Open(dir.File("packed.txt")).Tokens());
    }

    [Fact]
    public void Every_enumeration_reads_the_file_again()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.txt"), "one two");
        var corpus = Corpus.Open(dir.File("a.txt"));
        Assert.Equal(["one", "two"], corpus.Tokens());
        Assert.Equal(["one", "two"], corpus.Tokens());
    }

    [Fact]
    public void In_memory_text_uses_the_same_rule()
    {
        Assert.Equal(SampleTokens, Corpus.TokensOf(Sample));
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Corpus.Open("no/such/corpus.txt.gz"));
        Assert.Contains("no/such/corpus.txt.gz", e.Message);
    }

    [Fact]
    public void Invalid_utf8_names_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("latin1.txt"), [.. "fine line\n"u8, (byte)'c', 0xE9, (byte)'\n']);
        var e = Assert.Throws<InputFileException>(() => Corpus.Open(dir.File("latin1.txt")).Tokens().ToList());
        Assert.EndsWith("latin1.txt", e.FilePath);
        Assert.Equal(2, e.Line);
        Assert.Contains("byte 11 is not valid UTF-8", e.Reason);
        Assert.Contains("latin1.txt:2)", e.Message);
    }

    [Fact]
    public void Corrupt_gzip_names_the_file()
    {
        using var dir = new TempDirectory();
        // gzip magic and header, then bytes that are no deflate stream (block type 3 is reserved).
        File.WriteAllBytes(dir.File("bad.gz"), [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);
        var e = Assert.Throws<InputFileException>(() => Corpus.Open(dir.File("bad.gz")).Tokens().ToList());
        Assert.Contains("bad.gz", e.Message);
    }

    [Fact]
    public void Truncated_gzip_is_an_error_not_a_shorter_corpus()
    {
        using var dir = new TempDirectory();
        var text = string.Join('\n', Enumerable.Range(0, 20_000).Select(i => $"line {i} of words {i * 7919 % 10007}"));
        WriteGzip(dir.File("whole.gz"), Encoding.UTF8.GetBytes(text));
        var bytes = File.ReadAllBytes(dir.File("whole.gz"));
        Assert.Equal(20_000 * 5, Corpus.Open(dir.File("whole.gz")).Tokens().Count());
        foreach (int keep in new[] { bytes.Length - 1, bytes.Length - 8, bytes.Length / 2, 20 })
        {
            File.WriteAllBytes(dir.File("cut.gz"), bytes[..keep]);
            var e = Assert.Throws<InputFileException>(() => Corpus.Open(dir.File("cut.gz")).Tokens().Count());
            Assert.Equal(dir.File("cut.gz"), e.FilePath);
            Assert.Contains("truncated", e.Reason);
        }
    }

    [Fact]
    public void A_binary_file_is_refused_at_its_first_nul_byte()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("data.bin"), [.. "text\n"u8, (byte)'a', 0, (byte)'b']);
        var e = Assert.Throws<InputFileException>(() => Corpus.Open(dir.File("data.bin")).Tokens().ToList());
        Assert.Equal(2, e.Line);
        Assert.Contains("binary", e.Reason);
    }

    [Fact]
    public void Byte_order_mark_and_missing_final_newline_are_handled()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("bom.txt"), [0xEF, 0xBB, 0xBF, .. "First line\r\nlast"u8]);
        Assert.Equal(["first", "line", "last"], Corpus.Open(dir.File("bom.txt")).Tokens());
    }

    [Fact]
    public void Lines_longer_than_the_read_buffer_are_read_whole()
    {
        using var dir = new TempDirectory();
        var words = Enumerable.Range(0, 40_000).Select(i => "w" + i).ToArray();
        File.WriteAllText(dir.File("long.txt"), string.Join(' ', words) + "\nend\n");
        Assert.Equal([.. words, "end"], Corpus.Open(dir.File("long.txt")).Tokens());
    }

    private static void WriteGzip(string path, byte[] content)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        gzip.Write(content);
    }
}
