using GraphCompiler.Runtime.Embeddings;

namespace GraphCompiler.Runtime.Tests.Embeddings;

/// <summary>
/// A hand-made embedding whose answers are known: axes (royal, male, female, fruit).
/// king = royal + male, queen = royal + female, so king − man + woman = queen.
/// </summary>
internal static class TinyEmbedding
{
    public static readonly string[] Words = ["UNK", "man", "woman", "king", "queen", "apple", "prince"];

    public static readonly float[] Data =
    [
        0, 0, 0, 0,       // UNK: zero vector, cosine 0 with everything
        0, 1, 0, 0,       // man
        0, 0, 1, 0,       // woman
        1, 1, 0, 0,       // king
        1, 0, 1, 0,       // queen
        0, 0, 0, 1,       // apple
        0.9f, 1, 0, 0.1f, // prince: nearly king
    ];

    public static EmbeddingMatrix Matrix() => new((float[])Data.Clone(), Words.Length, 4);

    public static WordVectors Vectors() => new(Matrix(), Words);

    // Cosines worked out by hand.
    public const float KingPrince = 0.99587059f;   // 1.9 / (√2 · √1.82)
    public const float KingMan = 0.70710678f;      // 1 / √2
    public const float KingQueen = 0.5f;
    public const float ManKingWomanQueen = 0.95856891f; // queen · (k̂ − m̂ + ŵ) / |k̂ − m̂ + ŵ|
}
