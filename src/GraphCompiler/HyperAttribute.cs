namespace GraphCompiler;

/// <summary>
/// Marks an instance property of a <see cref="ModelAttribute">[Model]</see> class as a hyperparameter:
/// a value fixed when the model is constructed, as TensorFlow users pass <c>vocab_size</c> or
/// <c>embedding_size</c> to the code that builds the graph. The generated constructor takes one
/// argument per hyperparameter (<c>new SkipGram(vocab: 12279, dim: 300, seed: 1)</c>).
/// An <c>int</c> hyperparameter is a dimension: model code uses it in variable shapes
/// (<c>Variable("embed_matrix", [Vocab, Dim], …)</c>) and <c>[Shape]</c> strings name it
/// (<c>[Shape("batch", "Dim")]</c>); the kernels and the memory plan are compiled once, for every
/// value. A <c>float</c> hyperparameter is a value for initializer arguments
/// (<c>Init.RandomUniform(-InitRange, InitRange)</c>). Model methods that read hyperparameters are
/// instance methods.
/// </summary>
/// <example><c>[Hyper] public int Dim { get; }</c></example>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class HyperAttribute : Attribute
{
}
