using GraphCompiler.Runtime.Linalg;

namespace GraphCompiler.Runtime.Text;

/// <summary>
/// Word–context co-occurrence counts over a stream of word ids (a corpus encoded by
/// <see cref="Vocabulary.Encode"/>, out-of-vocabulary words already removed as word2vec removes them):
/// X[w, c] sums the weight of every occurrence of c within <c>window</c> positions before or after an
/// occurrence of w. The window is symmetric, so X is symmetric.
/// </summary>
public static class Cooccurrence
{
    /// <summary>
    /// Counts co-occurrences into a [vocabularySize, vocabularySize] CSR matrix. Built in parallel by
    /// rows: an index of each word's positions lets every row be summed into a dense scratch row on its
    /// own thread, so no two threads ever touch the same entry and the result does not depend on the
    /// thread count (each row is summed in the same order).
    /// </summary>
    /// <param name="ids">Word ids in corpus order, each in [0, vocabularySize).</param>
    /// <param name="vocabularySize">Rows and columns of the matrix.</param>
    /// <param name="window">Largest distance counted (≥ 1).</param>
    /// <param name="weighting">1/d (GloVe's) or flat.</param>
    /// <param name="threads">Most threads to use; all cores when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary, or a bad window or size.</exception>
    public static SparseMatrix Count(ReadOnlySpan<int> ids, int vocabularySize, int window, CooccurrenceWeighting weighting, int? threads = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var tokens = ids.ToArray();
        var positions = PositionIndex(tokens, vocabularySize);
        var weights = new float[window + 1];
        for (int d = 1; d <= window; d++) weights[d] = weighting == CooccurrenceWeighting.Harmonic ? 1f / d : 1f;

        var rowColumns = new int[vocabularySize][];
        var rowValues = new float[vocabularySize][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Environment.ProcessorCount };
        // Frequent words (low ids) have the longest rows: handing rows out one at a time balances the threads.
        Parallel.For(0, vocabularySize, options,
            () => new RowScratch(vocabularySize),
            (word, _, scratch) =>
            {
                for (long p = positions.Starts[word]; p < positions.Starts[word + 1]; p++)
                {
                    int at = positions.Positions[p];
                    int from = Math.Max(0, at - window), to = Math.Min(tokens.Length - 1, at + window);
                    for (int q = from; q <= to; q++)
                        if (q != at) scratch.Add(tokens[q], weights[Math.Abs(q - at)]);
                }
                (rowColumns[word], rowValues[word]) = scratch.TakeSorted();
                return scratch;
            },
            _ => { });
        return Assemble(vocabularySize, rowColumns, rowValues);
    }

    private readonly record struct PositionIndexArrays(long[] Starts, int[] Positions);

    // Positions of each word in the stream, grouped by word (a counting sort of the positions).
    private static PositionIndexArrays PositionIndex(int[] tokens, int vocabularySize)
    {
        var starts = new long[vocabularySize + 1];
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)vocabularySize)
                throw new ArgumentOutOfRangeException(nameof(tokens), tokens[i], $"id at position {i} is outside the vocabulary of {vocabularySize} words");
            starts[tokens[i] + 1]++;
        }
        for (int w = 0; w < vocabularySize; w++) starts[w + 1] += starts[w];
        var next = starts[..^1].ToArray();
        var positions = new int[tokens.Length];
        for (int i = 0; i < tokens.Length; i++) positions[next[tokens[i]]++] = i;
        return new PositionIndexArrays(starts, positions);
    }

    private static SparseMatrix Assemble(int size, int[][] rowColumns, float[][] rowValues)
    {
        var starts = new long[size + 1];
        for (int i = 0; i < size; i++) starts[i + 1] = starts[i] + rowColumns[i].Length;
        var columns = new int[starts[size]];
        var values = new float[starts[size]];
        for (int i = 0; i < size; i++)
        {
            rowColumns[i].CopyTo(columns, starts[i]);
            rowValues[i].CopyTo(values, starts[i]);
        }
        return new SparseMatrix(size, size, starts, columns, values);
    }

    /// <summary>A dense accumulator for one row and the list of columns it touched, reused across rows.</summary>
    private sealed class RowScratch(int size)
    {
        private readonly double[] _sums = new double[size];
        private readonly List<int> _touched = [];

        public void Add(int column, float weight)
        {
            if (_sums[column] == 0) _touched.Add(column);
            _sums[column] += weight;
        }

        public (int[] Columns, float[] Values) TakeSorted()
        {
            _touched.Sort();
            var columns = _touched.ToArray();
            var values = new float[columns.Length];
            for (int i = 0; i < columns.Length; i++)
            {
                values[i] = (float)_sums[columns[i]];
                _sums[columns[i]] = 0;
            }
            _touched.Clear();
            return (columns, values);
        }
    }
}
