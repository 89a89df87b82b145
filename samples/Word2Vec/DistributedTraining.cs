using System.Globalization;
using GraphCompiler.Runtime.Checkpoints;
using GraphCompiler.Runtime.Distributed;
using GraphCompiler.Runtime.Embeddings;
using GraphCompiler.Runtime.Summaries;
using GraphCompiler.Runtime.Text;
using GraphCompiler.Samples;

namespace Word2Vec;

/// <summary>
/// Data-parallel Word2Vec, started as <c>mpirun -np N dotnet Word2Vec.dll --distributed</c>. Every rank counts the
/// vocabulary over the whole corpus itself (the count is deterministic, so the vocabularies are equal, which is checked;
/// a broadcast from rank 0 would keep the other ranks waiting in a collective for the whole counting pass, past the
/// watchdog's limit on a large corpus), starts from rank 0's tables, and streams its own block of the corpus's shards
/// (<see cref="DistributedShards"/>, which a run resumed on another number of ranks deals out again). Each global step every rank trains one batch and the
/// ranks' changes of the tables are summed onto every replica (<see cref="DistributedTables"/>), so the replicas stay
/// identical. Only rank 0 prints, writes summaries, checkpoints (with every shard's stream position) and embeddings.
/// <para>
/// One training thread per rank, no Hogwild inside a rank: a synchronous step needs every update of the rank
/// finished and measured before the sum, so Hogwild threads would have to park at every step, and their racing
/// updates would make a rank's change depend on timing. A machine's cores are used as ranks instead
/// (<c>mpirun -np</c> cores), as MPI programs do; the rank's data is still read and batched on a background thread.
/// </para>
/// </summary>
public static class DistributedTraining
{
    public static int Run(Options options)
    {
        var comm = Communicator.Initialize(TimeSpan.FromSeconds(options.CollectiveTimeout));
        int exitCode;
        try
        {
            exitCode = Train(options, comm);
        }
        catch
        {
            // The other ranks may wait in a collective this rank will not join: no closing barrier.
            comm.Abandon();
            throw;
        }
        if (exitCode == ExitCodes.Diverged) comm.Abandon();
        else comm.Dispose();
        return exitCode;
    }

    private static int Train(Options options, Communicator comm)
    {
        if (options.Device.UsesIlgpu || options.LectureInit || options.ResumeWeightsOnly)
            throw new UserError("invalid options", "--distributed trains on the CPU from word2vec's initial tables; --device, --lecture-init and --resume-weights-only are for one process");
        string corpusPath = options.CorpusPath;
        if (!File.Exists(corpusPath) && !Directory.Exists(corpusPath)) throw new UserError("corpus", "does not exist", corpusPath);
        var resumed = options.Resume is { } named ? RunDirectories.FindResumable(options.LogDir, named) : default((string Run, string Checkpoint)?);
        var metadata = resumed is { } found ? Saver.ReadMetadata(found.Checkpoint) : null;
        if (metadata is not null)
        {
            (options, var differences) = RunSettings.Merge(options, metadata);
            if (differences.Count > 0)
                throw new UserError("cannot resume run", $"the settings differ from the run's: {string.Join(", ", differences)} (leave them off to take the run's)", resumed!.Value.Run);
        }

        var corpus = Corpus.Open(corpusPath);
        var counter = new VocabularyCounter(Options.CountingEntries);
        using (var reader = corpus.OpenReader(corpus.Whole)) counter.AddRange(reader);
        var vocabulary = counter.ToVocabulary(options.MinCount, options.MaxVocab);
        long inVocabulary = vocabulary.TotalCount - vocabulary.Counts[Vocabulary.UnknownId];
        CorpusSize.Check(corpusPath, counter.TotalTokens, vocabulary, inVocabulary, options);
        if (comm.AllreduceMax(inVocabulary) != comm.AllreduceMin(inVocabulary) || comm.AllreduceMax(vocabulary.Count) != comm.AllreduceMin(vocabulary.Count))
            throw new UserError("corpus", "the ranks counted different vocabularies in it (every rank must read the same files)", corpusPath);
        if (metadata is not null && ResumeState.CorpusDifference(metadata, corpus.Path, vocabulary, inVocabulary) is { } difference)
            throw new UserError("cannot resume run", difference, resumed!.Value.Run);

        var states = DistributedShards.Fresh(corpus, DistributedShards.PerRank * comm.Size);
        if (metadata is not null)
        {
            try { states = ResumeState.Shards(metadata); }
            catch (FormatException e) { throw new UserError("checkpoint", $"its data position cannot be used: {e.Message}", resumed!.Value.Checkpoint, innerException: e); }
            if (states.Length < comm.Size)
                throw new UserError("cannot resume run", $"its corpus is cut into {states.Length} shard(s), one rank's share at least; resume it with mpirun -np {states.Length} or fewer", resumed!.Value.Run);
        }
        var shards = new DistributedShards(corpus, states, comm.Rank, comm.Size);

        // The graph seed differs per rank, so NCE's candidate draws differ; the tables still start as rank 0's.
        var model = SkipGram.Create(vocabulary.Count, options.Dim, options.Loss, unchecked(options.Seed + comm.Rank * 7919));
        var saver = new Saver();
        if (metadata is not null && comm.IsRoot) saver.Restore(model.Model, resumed!.Value.Checkpoint);
        new DataParallel(comm).BroadcastState(model.Model);

        string? run = null;
        SummaryWriter? writer = null;
        if (comm.IsRoot)
        {
            run = metadata is not null ? resumed!.Value.Run : RunDirectories.CreateRun(options.LogDir);
            Directory.CreateDirectory(RunDirectories.Checkpoints(run));
            ResumeState.WriteVocabulary(run, vocabulary);
            writer = new SummaryWriter(run);
            if (metadata is null) GraphExport.Write(writer, model.Model);
            model.Model.SummarySink = writer;
            model.Model.SummaryEvery = 100;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"data-parallel training on {comm.Size} rank(s), --sync {options.Sync.ToString().ToLowerInvariant()}: vocabulary {vocabulary.Count:N0} words, {inVocabulary:N0} in-vocabulary tokens, dim {options.Dim}, batch {options.BatchSize} per rank (global {options.BatchSize * comm.Size}), {options.Epochs} epoch(s){(metadata is not null ? $", resumed at step {model.Model.GlobalStep}" : "")}; run directory {run}"));
        }
        try
        {
            var loop = new DistributedSteps(comm, options, corpus, shards, vocabulary, inVocabulary, model);
            string? lastGood = metadata is not null ? resumed!.Value.Checkpoint : null;
            void Checkpoint(long step, IReadOnlyList<StreamPosition> positions)
            {
                if (writer is null) return;
                writer.Flush();
                var state = ResumeState.ToMetadata(options, corpus.Path, vocabulary, inVocabulary, positions);
                try { lastGood = saver.Save(model.Model, Path.Combine(RunDirectories.Checkpoints(run!), "word2vec"), step, state); }
                catch (CheckpointException e) when (e.Kind == CheckpointErrorKind.NonFinite)
                {
                    throw new UserError($"the loss diverged by step {step} ('{e.TensorName}' holds NaN or infinite values); the last good checkpoint is {lastGood ?? "none"}", "", exitCode: ExitCodes.Diverged);
                }
            }
            var result = loop.Run(Checkpoint);
            if (result.Outcome == TrainingOutcome.Diverged)
            {
                if (!comm.IsRoot) return ExitCodes.Diverged;
                writer!.Flush();
                throw new UserError($"the loss diverged at step {result.GlobalStep}; the last good checkpoint is {lastGood ?? "none (none was saved before it)"}", "", exitCode: ExitCodes.Diverged);
            }
            if (!comm.IsRoot) return result.Outcome == TrainingOutcome.Interrupted ? ExitCodes.Interrupted : ExitCodes.Success;
            writer!.Scalar("words_per_second", (float)(result.WordsTrained / Math.Max(result.Seconds, 1e-9)), result.GlobalStep);
            writer.Flush();
            if (result.Outcome == TrainingOutcome.Interrupted)
            {
                Console.WriteLine($"interrupted at step {result.GlobalStep}: checkpoint {lastGood}; continue with mpirun -np N (any N up to {states.Length}) and --distributed --resume {run}");
                return ExitCodes.Interrupted;
            }
            var embeddings = new EmbeddingMatrix(model.EmbedMatrix.Data.AsSpan(0, vocabulary.Count * options.Dim).ToArray(), vocabulary.Count, options.Dim);
            ProjectorExport.Write(run!, "embed/embed_matrix", embeddings, vocabulary.Words, vocabulary.Counts);
            Console.WriteLine($"run directory {run}");
            return ExitCodes.Success;
        }
        finally
        {
            writer?.Dispose();
        }
    }
}
