namespace GraphCompiler;

/// <summary>
/// TensorFlow 1.x's recurrent cells, <c>tf.nn.static_rnn</c> and <c>tf.nn.dynamic_rnn</c> for model code
/// (<c>using static GraphCompiler.Rnn;</c>). A cell is described once and applied to every time step
/// with the same variables, under TensorFlow's names (<c>rnn/basic_lstm_cell/kernel</c>). StaticRnn unrolls
/// the steps at build time; DynamicRnn over a symbolic time dim runs them as a loop over the run-time length.
/// A cell's state is a <c>Tensor[]</c>: <c>[h]</c> for the basic RNN and GRU cells, <c>[c, h]</c> for
/// the LSTM cell (TensorFlow's <c>LSTMStateTuple(c, h)</c>), and the cells' states one after the other
/// for <see cref="MultiRnnCell"/>; every tensor is <c>[batch, units]</c>.
/// </summary>
public static class Rnn
{
    /// <summary>
    /// <c>tf.nn.rnn_cell.BasicRNNCell</c>: <c>h' = tanh([x, h]·kernel + bias)</c>, output h'. Variables
    /// <c>basic_rnn_cell/kernel</c> [in + units, units] (Glorot uniform) and <c>/bias</c> [units] (zeros).
    /// </summary>
    public static RnnCell BasicRnnCell(int numUnits, string? name = null) => throw BuildTime.Only("Rnn.BasicRnnCell");

    /// <summary>
    /// <c>tf.nn.rnn_cell.BasicLSTMCell</c>: <c>i, j, f, o = split([x, h]·kernel + bias, 4)</c>;
    /// <c>c' = c·σ(f + forgetBias) + σ(i)·tanh(j)</c>; <c>h' = tanh(c')·σ(o)</c>; output h', state [c', h'].
    /// Variables <c>basic_lstm_cell/kernel</c> [in + units, 4·units] (Glorot uniform) and <c>/bias</c> [4·units] (zeros).
    /// </summary>
    public static RnnCell BasicLstmCell(int numUnits, float forgetBias = 1f, string? name = null) => throw BuildTime.Only("Rnn.BasicLstmCell");

    /// <summary>
    /// <c>tf.nn.rnn_cell.GRUCell</c>: <c>r, u = split(σ([x, h]·gates/kernel + gates/bias), 2)</c>;
    /// <c>c = tanh([x, r·h]·candidate/kernel + candidate/bias)</c>; <c>h' = u·h + (1 − u)·c</c>. Variables
    /// <c>gru_cell/gates/kernel</c> [in + units, 2·units], <c>gates/bias</c> [2·units] (ones),
    /// <c>candidate/kernel</c> [in + units, units], <c>candidate/bias</c> [units] (zeros); kernels Glorot uniform.
    /// </summary>
    public static RnnCell GruCell(int numUnits, string? name = null) => throw BuildTime.Only("Rnn.GruCell");

    /// <summary>
    /// <c>tf.nn.rnn_cell.MultiRNNCell</c>: the cells stacked, each one's output the next one's input;
    /// variables under <c>multi_rnn_cell/cell_k/</c>. Its state is the cells' states one after the other.
    /// </summary>
    public static RnnCell MultiRnnCell(params RnnCell[] cells) => throw BuildTime.Only("Rnn.MultiRnnCell");

    /// <summary>
    /// <c>tf.nn.rnn_cell.DropoutWrapper</c>, active in <c>TrainStep</c> only: dropout on the cell's input,
    /// on its output, and on the new state it passes to the next step (for an LSTM the h part only, as
    /// TensorFlow's default state filter). With <paramref name="variationalRecurrent"/> (Gal and
    /// Ghahramani) each mask is drawn once per sequence, per example, and used at every time step;
    /// otherwise each step draws its own. No variables.
    /// </summary>
    public static RnnCell DropoutWrapper(RnnCell cell, float inputKeep = 1f, float outputKeep = 1f, float stateKeep = 1f,
        bool variationalRecurrent = false, int? seed = null) => throw BuildTime.Only("Rnn.DropoutWrapper");

    /// <summary>
    /// <c>tf.nn.static_rnn</c>: applies <paramref name="cell"/> to <paramref name="inputs"/> ([batch, in]
    /// each) in order, from <paramref name="initialState"/> (zeros when null), under the variable scope
    /// <paramref name="scope"/>. With <paramref name="sequenceLength"/> (Int32 [batch]), past an example's
    /// length its output is zero and its state is carried through unchanged, so the final state is the
    /// state at its last real step. Returns the output of every step and the final state.
    /// The input projection of all steps is one matrix product (hoisted out of the steps).
    /// </summary>
    public static (Tensor[] Outputs, Tensor[] State) StaticRnn(RnnCell cell, Tensor[] inputs, Tensor[]? initialState = null,
        Tensor? sequenceLength = null, string? scope = null) => throw BuildTime.Only("Rnn.StaticRnn");

    /// <summary>
    /// <c>tf.nn.dynamic_rnn</c>: runs <paramref name="cell"/> over <paramref name="inputs"/> [batch, time, in]
    /// (batch-major) from <paramref name="initialState"/> (zeros when null), under the variable scope
    /// <paramref name="scope"/>, with the variables and semantics of <see cref="StaticRnn"/> (past an example's
    /// <paramref name="sequenceLength"/> its output is zero and its state is carried). Returns the outputs
    /// [batch, time, units] and the final state. Over a symbolic time dim (<c>[Shape("batch", "time", in)]</c>)
    /// the steps are one loop region, run for the length the call brings, any length including 0; over a
    /// static one they unroll. The input projection of all steps is one matrix product outside the loop.
    /// </summary>
    public static (Tensor Outputs, Tensor[] State) DynamicRnn(RnnCell cell, Tensor inputs, Tensor[]? initialState = null,
        Tensor? sequenceLength = null, string? scope = null) => throw BuildTime.Only("Rnn.DynamicRnn");

    /// <summary><c>tf.sequence_mask</c>: float32 [batch, maxLength], 1 where <c>t &lt; lengths[b]</c> and 0 after.</summary>
    public static Tensor SequenceMask(Tensor lengths, int maxLength) => throw BuildTime.Only("Rnn.SequenceMask");
}

/// <summary>A recurrent cell described in model code (from <see cref="Rnn"/>); its variables are created on first use and shared by every step.</summary>
public sealed class RnnCell
{
    private RnnCell() { }

    /// <summary><c>cell(x, state)</c>: one step, returning the output and the new state.</summary>
    public (Tensor Output, Tensor[] State) Call(Tensor x, Tensor[] state) => throw BuildTime.Only("RnnCell.Call");
}
