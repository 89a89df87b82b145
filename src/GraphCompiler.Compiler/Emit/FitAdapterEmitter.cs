using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// The runtime's <c>IFitModel&lt;TBatch&gt;</c> (and <c>IPredictModel&lt;TFeatures&gt;</c>) on the generated
/// class, so that <c>model.Fit(dataset, epochs, …)</c>, <c>Evaluate</c>, <c>Predict</c> and the smoke test
/// drive it like a Keras model: explicit interface members that pass a batch's spans to the generated
/// <c>TrainStep</c>, loss and <c>Predict</c> methods. Emitted when the loss takes one to four inputs of rank ≥ 1
/// whose dims the inputs' lengths bind, the batch dim possibly from the batch's row count (a batch of one input is a <c>Batch&lt;T&gt;</c>, of more a tuple
/// <c>(First, Second, …)</c> of them as <c>Dataset.Zip(...).Batch(n)</c> makes). The prediction is the entry
/// method named <c>Predict</c>, as in Keras, when it takes the loss's first inputs and returns one float tensor.
/// </summary>
public static class FitAdapterEmitter
{
    private const string Training = "GraphCompiler.Runtime.Training.";

    /// <summary>The element names of the batch tuple, as the runtime's <c>Zip</c> and <c>Batch</c> name them.</summary>
    private static readonly string[] Parts = { "First", "Second", "Third", "Fourth" };

    /// <summary>
    /// The interfaces and members, or null when the loss's inputs do not fit. <paramref name="fail"/>, when given,
    /// is the statement every member body runs instead (the surface of a model with build errors).
    /// </summary>
    public static (IReadOnlyList<string> Interfaces, IReadOnlyList<string> Members)? Emit(EntrySignature? loss, IEnumerable<EntrySignature> entries, string optimizer, string? fail = null)
    {
        if (loss is null || loss.Parameters.Count < 1 || loss.Parameters.Count > Parts.Length || loss.Parameters.Any(p => p.Shape.Rank == 0)) return null;
        if (loss.Outputs.Count != 1 || loss.Outputs[0] != new OutputType(DType.Float32, true)) return null;
        var inputs = loss.Parameters;
        string BatchOf(ModelParameter p) => $"GraphCompiler.Runtime.Data.Batch<{p.DType.CSharpName()}>";
        string BatchTuple(IReadOnlyList<ModelParameter> ps) =>
            ps.Count == 1 ? BatchOf(ps[0]) : "(" + string.Join(", ", ps.Select((p, i) => $"{BatchOf(p)} {Parts[i]}")) + ")";
        string[] PartsOf(string value, int count) => count == 1 ? new[] { value } : Parts.Take(count).Select(p => value + "." + p).ToArray();
        var batch = BatchTuple(inputs);
        var parts = PartsOf("batch", inputs.Count);
        // The batch dim, when the inputs' lengths cannot give it ([batch, time] ids), is the batch's row count.
        // Any other dim the entry takes explicitly leaves the model without the adapter.
        if (loss.ExplicitDims.Any(s => inputs[0].Shape[0].Symbol != s)) return null;
        var dims = loss.ExplicitDims.Select(_ => parts[0] + ".Count").ToList();
        string Spans(int count) => string.Join(", ", parts.Take(count).Select(p => p + ".Span").Concat(count == inputs.Count ? dims : Enumerable.Empty<string>()));
        string Body(string expression) => fail ?? expression;

        var fit = $"{Training}IFitModel<{batch}>";
        var predict = entries.FirstOrDefault(e => e.Method == "Predict" && !e.IsTrain && TakesFirstInputs(e, inputs));
        var labels = inputs.Count >= 2 && inputs[inputs.Count - 1].DType == DType.Int32 && inputs[inputs.Count - 1].Shape.Rank == 1 ? inputs[inputs.Count - 1] : null;
        var members = new List<string>
        {
            $"float {fit}.TrainOn({batch} batch, float learningRate) => {Body($"TrainStep({Spans(inputs.Count)}, learningRate)")};",
            $"float {fit}.LossOn({batch} batch) => {Body($"{loss.Method}({Spans(inputs.Count)})")};",
            $"int {fit}.BatchSize({batch} batch) => {Body(parts[0] + ".Count")};",
            $"string {fit}.OptimizerName => {Body(CSharpNames.StringLiteral(optimizer))};",
            $"{Training}Classified? {fit}.Classify({batch} batch) => {Body(predict is not null && labels is not null && predict.Parameters.Count == inputs.Count - 1 ? $"new {Training}Classified(Predict({Spans(inputs.Count - 1)}), {parts[inputs.Count - 1]}.Memory)" : "null")};",
        };
        var interfaces = new List<string> { fit };
        if (predict is not null)
        {
            var features = BatchTuple(predict.Parameters);
            var predictor = $"{Training}IPredictModel<{features}>";
            interfaces.Add(predictor);
            members.Add($"NDArray<float> {predictor}.PredictOn({features} features) => {Body($"Predict({string.Join(", ", PartsOf("features", predict.Parameters.Count).Select(p => p + ".Span"))})")};");
        }
        var comment = "/// <summary>Keras-style training through the runtime's <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c> extension methods.</summary>";
        return (interfaces, new[] { comment + "\n" + string.Join("\n", members) });
    }

    /// <summary>Whether <paramref name="entry"/> takes the loss's first inputs (same names, dtypes and shapes) and returns one float tensor.</summary>
    private static bool TakesFirstInputs(EntrySignature entry, IReadOnlyList<ModelParameter> inputs) =>
        entry.Parameters.Count >= 1 && entry.Parameters.Count <= inputs.Count && entry.ExplicitDims.Count == 0
        && entry.Parameters.Select((p, i) => p.Equals(inputs[i])).All(same => same)
        && entry.Outputs.Count == 1 && entry.Outputs[0] == new OutputType(DType.Float32, false);
}
