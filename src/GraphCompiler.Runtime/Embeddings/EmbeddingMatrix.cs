using System.Numerics.Tensors;

namespace GraphCompiler.Runtime.Embeddings;

/// <summary>
/// A view of a [vocabularySize, dimension] float matrix in C order (row i = the vector of id i),
/// typically the <c>Data</c> of a trained embedding variable. It does not copy: changes to the
/// array show through.
/// </summary>
public sealed class EmbeddingMatrix
{
    /// <exception cref="ArgumentException">The array length is not vocabularySize · dimension.</exception>
    public EmbeddingMatrix(float[] data, int vocabularySize, int dimension)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if ((long)vocabularySize * dimension != data.Length)
            throw new ArgumentException($"embedding matrix [{vocabularySize}, {dimension}] needs {(long)vocabularySize * dimension} values; the array has {data.Length}", nameof(data));
        Data = data;
        VocabularySize = vocabularySize;
        Dimension = dimension;
    }

    /// <summary>The values, row-major.</summary>
    public float[] Data { get; }

    /// <summary>Number of rows.</summary>
    public int VocabularySize { get; }

    /// <summary>Number of columns: the embedding size.</summary>
    public int Dimension { get; }

    /// <summary>The vector of id <paramref name="id"/>.</summary>
    public ReadOnlySpan<float> Row(int id)
    {
        if ((uint)id >= (uint)VocabularySize)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"embedding matrix has rows 0..{VocabularySize - 1}");
        return Data.AsSpan(id * Dimension, Dimension);
    }

    /// <summary>
    /// A copy with every row scaled to unit L2 norm (<c>tf.nn.l2_normalize</c> along the row); rows
    /// of norm 0 stay 0, so they have cosine 0 with everything.
    /// </summary>
    public EmbeddingMatrix Normalized()
    {
        var copy = new float[Data.Length];
        for (int i = 0; i < VocabularySize; i++)
        {
            var row = Data.AsSpan(i * Dimension, Dimension);
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0) TensorPrimitives.Divide(row, norm, copy.AsSpan(i * Dimension, Dimension));
        }
        return new EmbeddingMatrix(copy, VocabularySize, Dimension);
    }
}
