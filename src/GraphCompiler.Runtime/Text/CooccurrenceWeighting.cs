namespace GraphCompiler.Runtime.Text;

/// <summary>How much one co-occurrence at distance d within the window counts.</summary>
public enum CooccurrenceWeighting
{
    /// <summary>1/d, as GloVe counts: near neighbours weigh more.</summary>
    Harmonic,

    /// <summary>1 for every distance, as a plain window count (and PPMI in Levy et al.) does.</summary>
    Flat,
}
