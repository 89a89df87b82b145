using GraphCompiler.Compiler.IR;
using Microsoft.CodeAnalysis;

namespace GraphCompiler.Generator.Lowering;

/// <summary>
/// A recurrent cell described in model code (<c>Rnn.GruCell(256)</c>): a leaf cell with variables
/// (<c>basic_rnn_cell</c>, <c>basic_lstm_cell</c>, <c>gru_cell</c>), a <c>multi_rnn_cell</c> of
/// <see cref="Cells"/>, or a <c>dropout_wrapper</c> around <see cref="Cells"/>[0]. Its variable scope is
/// fixed when it is first applied (as a layer's), so every step shares the variables.
/// </summary>
internal sealed class RnnCellValue(string kind, SyntaxNode at) : Value
{
    public string Kind { get; } = kind;

    /// <summary>The call that described the cell, blamed for its errors.</summary>
    public SyntaxNode At { get; } = at;

    public int Units { get; init; }

    /// <summary>The default name of its variable scope: its kind, or the Keras layer's kind (<c>gru</c>).</summary>
    public string ScopeName
    {
        get => _scopeName ?? Kind;
        init => _scopeName = value;
    }

    private readonly string? _scopeName;

    public double ForgetBias { get; init; }

    public RnnCellValue[] Cells { get; init; } = [];

    /// <summary>The scope holder: the cell's own (named after its kind) or, in a Keras layer, the layer's.</summary>
    public LayerValue Scope { get; init; } = null!;

    /// <summary>A <c>multi_rnn_cell</c>'s <c>cell_k</c> scopes.</summary>
    public LayerValue[] CellScopes { get; init; } = [];

    /// <summary>A dropout wrapper's drop rates (1 − keep) on the input, the output and the state.</summary>
    public (double Input, double Output, double State) Rates { get; init; }

    public bool Variational { get; init; }

    public long? Seed { get; init; }

    /// <summary>A variational wrapper's masks of the sequence being unrolled, drawn on first use.</summary>
    public Dictionary<string, Node> Masks { get; } = new(StringComparer.Ordinal);

    /// <summary>How many dropouts this wrapper has drawn (for distinct seeds from an explicit one).</summary>
    public int Drawn { get; set; }

    public bool IsLeaf => Kind is "basic_rnn_cell" or "basic_lstm_cell" or "gru_cell";

    /// <summary>The number of [batch, units] tensors in the state.</summary>
    public int StateCount => Kind switch
    {
        "basic_lstm_cell" => 2,
        "multi_rnn_cell" => Cells.Sum(c => c.StateCount),
        "dropout_wrapper" => Cells[0].StateCount,
        _ => 1,
    };

    /// <summary>The units of each state tensor, in order.</summary>
    public IEnumerable<int> StateUnits => Kind switch
    {
        "multi_rnn_cell" => Cells.SelectMany(c => c.StateUnits),
        "dropout_wrapper" => Cells[0].StateUnits,
        _ => Enumerable.Repeat(Units, StateCount),
    };

    /// <summary>Whether each state tensor is an LSTM's memory c, which TensorFlow's state dropout leaves alone.</summary>
    public IEnumerable<bool> StateIsMemory => Kind switch
    {
        "basic_lstm_cell" => [true, false],
        "multi_rnn_cell" => Cells.SelectMany(c => c.StateIsMemory),
        "dropout_wrapper" => Cells[0].StateIsMemory,
        _ => [false],
    };

    public override string Describe() => "recurrent cell " + Kind;
}
