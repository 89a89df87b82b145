// One Hogwild producer's whole epoch alone, on one thread, with no training: read, tokenise and look up the corpus,
// subsample, pair, shuffle, batch and draw noise words (StreamBatches), the batches given back as the trainers give them.
// What the data side costs the cores the trainers share, in CPU seconds (the wall clock counts the time other processes
// held the core on a loaded machine), and what it allocates. Prints the counting pass once, then one line per epoch:
//   PRODUCER batches=… seconds=… cpu_seconds=… allocated_mb=… checksum=…
// (the checksum, of the first pair and noise word of every batch, changes when the batches do).
// Usage: dotnet run -c Release producer-throughput.cs -- CORPUS [MAX_VOCAB, default 12287] [REPEATS, default 3]
#:project ../../samples/Word2Vec/Word2Vec.csproj
#:property PublishAot=false
using System.Diagnostics;
using System.Globalization;
using GraphCompiler.Runtime.Text;
using Word2Vec;

if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("usage: dotnet run -c Release producer-throughput.cs -- CORPUS [MAX_VOCAB] [REPEATS]");
    return 2;
}
var corpus = Corpus.Open(args[0]);
int maxVocab = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 12_287;
int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;

static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

var counter = new VocabularyCounter();
double cpu = CpuSeconds();
var clock = Stopwatch.StartNew();
using (var reader = corpus.OpenReader(corpus.Whole)) counter.AddRange(reader);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"COUNT tokens={counter.TotalTokens} seconds={clock.Elapsed.TotalSeconds:F2} cpu_seconds={CpuSeconds() - cpu:F2}"));

var data = StreamBatches.For(corpus, counter.ToVocabulary(minCount: 5, maxVocab), new Options { Dim = 128 });
for (int r = 0; r < repeats; r++)
{
    cpu = CpuSeconds();
    long allocated = GC.GetAllocatedBytesForCurrentThread();
    clock.Restart();
    long batches = 0, checksum = 0;
    foreach (var (batch, _, _) in data.From(corpus.Whole, 0, 1, StreamPosition.StartOf(0, corpus.Whole, 0)))
    {
        if (batch is null) break;
        batches++;
        checksum += batch.Centers[0] + batch.Negatives[0];
        data.Recycle(batch);
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"PRODUCER batches={batches} seconds={clock.Elapsed.TotalSeconds:F2} cpu_seconds={CpuSeconds() - cpu:F2} allocated_mb={(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1048576.0:F0} checksum={checksum}"));
}
return 0;
