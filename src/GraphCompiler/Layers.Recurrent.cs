namespace GraphCompiler;

/// <summary>The Keras-style recurrent layers (see docs/recurrent.md).</summary>
public static partial class Layers
{
    /// <summary>
    /// A GRU over <c>x</c> [batch, time, features], with TensorFlow's <see cref="Rnn.GruCell"/>
    /// equations and variables under the layer's scope (<c>gru/gates/kernel</c>, …). Returns the last
    /// step's output [batch, units], or every step's [batch, time, units] with <paramref name="returnSequences"/>.
    /// <paramref name="stateful"/> (Keras's <c>stateful=True</c>, static batch only) starts from the state the
    /// previous call ended with, kept in the non-trainable variable <c>gru/state_h</c> [batch, units]; zero it
    /// with <c>RecurrentStates.Reset(model)</c>. The input projection of all steps is one matrix product. A static
    /// time dim unrolls; a symbolic one (<c>[Shape("batch", "time", ...)]</c>) runs as one loop region, any length.
    /// </summary>
    public static Tensor Gru(Tensor x, int units, bool returnSequences = false, bool stateful = false, string? name = null) =>
        throw BuildTime.Only("Layers.Gru");

    /// <summary>A <see cref="Gru(Tensor, int, bool, bool, string?)"/> layer to apply later.</summary>
    public static Layer Gru(int units, bool returnSequences = false, bool stateful = false, string? name = null) =>
        throw BuildTime.Only("Layers.Gru");

    /// <summary>
    /// An LSTM over <c>x</c> [batch, time, features], with TensorFlow's
    /// <see cref="Rnn.BasicLstmCell"/> equations (forget bias 1) and variables <c>lstm/kernel</c>,
    /// <c>lstm/bias</c>. <paramref name="returnSequences"/> and <paramref name="stateful"/> as for
    /// <see cref="Gru(Tensor, int, bool, bool, string?)"/>; the kept state is <c>lstm/state_c</c> and <c>lstm/state_h</c>.
    /// </summary>
    public static Tensor Lstm(Tensor x, int units, bool returnSequences = false, bool stateful = false, string? name = null) =>
        throw BuildTime.Only("Layers.Lstm");

    /// <summary>An <see cref="Lstm(Tensor, int, bool, bool, string?)"/> layer to apply later.</summary>
    public static Layer Lstm(int units, bool returnSequences = false, bool stateful = false, string? name = null) =>
        throw BuildTime.Only("Layers.Lstm");
}
