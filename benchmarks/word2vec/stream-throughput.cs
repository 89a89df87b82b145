// The data side of a streaming Word2Vec epoch alone, on one thread: how fast a corpus is read, tokenised from its
// UTF-8 bytes and looked up in a vocabulary by bytes (the work each Hogwild thread's producer does before subsampling
// and pairing), against the character path (decoded, tokenised into character spans, looked up by span), the same
// lookups through .NET's Dictionary (by span, which the vocabulary used before its own table) and a string per token. Prints one line per stage:
//   STREAM stage=… tokens=… seconds=… mtokens_per_second=… cpu_seconds=… mtokens_per_cpu_second=… allocated_mb=…
// On a loaded machine compare the CPU-time rates: the wall-clock ones count the time other processes held the core.
// Usage: dotnet run -c Release stream-throughput.cs -- CORPUS [MAX_VOCAB, default 12287] [REPEATS, default 3]
#:project ../../src/GraphCompiler.Runtime/GraphCompiler.Runtime.csproj
#:property PublishAot=false
using System.Diagnostics;
using System.Globalization;
using GraphCompiler.Runtime.Text;

if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("usage: dotnet run -c Release stream-throughput.cs -- CORPUS [MAX_VOCAB] [REPEATS]");
    return 2;
}
var corpus = Corpus.Open(args[0]);
int maxVocab = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 12_287;
int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;

var counter = new VocabularyCounter();
using (var reader = corpus.OpenReader(corpus.Whole)) counter.AddRange(reader);
var vocabulary = counter.ToVocabulary(minCount: 5, maxVocab);
var dictionary = vocabulary.Words.Select((word, id) => KeyValuePair.Create(word, id)).ToDictionary(StringComparer.Ordinal);
var dictionarySpans = dictionary.GetAlternateLookup<ReadOnlySpan<char>>();

// Each stage returns the tokens it saw and a checksum (lengths or ids), so no work is optimised away.
(long Tokens, long Sum) Tokens<T>(TokenBuffer<T> tokens, Func<CorpusReader, bool> read, Func<ReadOnlySpan<T>, long> measure) where T : unmanaged
{
    using var reader = corpus.OpenReader(corpus.Whole);
    long count = 0, sum = 0;
    for (; read(reader); tokens.Clear())
    {
        count += tokens.Count;
        foreach (var token in tokens) sum += measure(token);
    }
    return (count, sum);
}

(long Tokens, long Sum) Spans(Func<ReadOnlySpan<char>, long> measure)
{
    var tokens = new TokenSpans();
    return Tokens(tokens, reader => reader.Read(tokens), measure);
}

(long Tokens, long Sum) Utf8(Func<ReadOnlySpan<byte>, long> measure)
{
    var tokens = new Utf8TokenSpans();
    return Tokens(tokens, reader => reader.Read(tokens), measure);
}

(long Tokens, long Sum) Strings()
{
    using var reader = corpus.OpenReader(corpus.Whole);
    var tokens = new List<string>();
    long count = 0, sum = 0;
    for (; reader.Read(tokens); tokens.Clear())
    {
        count += tokens.Count;
        sum += tokens.Sum(token => (long)vocabulary.IdOf(token));
    }
    return (count, sum);
}

var stages = new (string Name, Func<(long Tokens, long Sum)> Run)[]
{
    ("read+tokenize utf8", () => Utf8(token => token.Length)),
    ("read+tokenize+lookup utf8", () => Utf8(token => vocabulary.IdOf(token))),
    ("read+tokenize spans", () => Spans(token => token.Length)),
    ("read+tokenize+lookup spans", () => Spans(token => vocabulary.IdOf(token))),
    ("read+tokenize+lookup dictionary spans", () => Spans(token => dictionarySpans.TryGetValue(token, out int id) ? id : Vocabulary.UnknownId)),
    ("read+tokenize+lookup strings", Strings),
};
for (int r = 0; r < repeats; r++)
    foreach (var (name, run) in stages)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (tokens, _) = run();
        double seconds = clock.Elapsed.TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"STREAM stage={name.Replace(' ', '_')} tokens={tokens} seconds={seconds:F2} mtokens_per_second={tokens / seconds / 1e6:F2} cpu_seconds={cpuSeconds:F2} mtokens_per_cpu_second={tokens / cpuSeconds / 1e6:F2} allocated_mb={(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1048576.0:F0}"));
    }
return 0;
