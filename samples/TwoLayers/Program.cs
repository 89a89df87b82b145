using System.CommandLine;
using GraphCompiler.Runtime;
using GraphCompiler.Samples;
using TwoLayers;

// The same inputs through both calls of the network: equal logits mean one set of weights.
return SampleProgram.Run(new RootCommand("Variable sharing: the two-layer network called twice, with VariableScope/GetVariable, with Variable, and with Keras-style layers"), args, _ =>
{
    var x = new float[200 * 100];
    var rng = new Random(1);
    for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();

    var shared = new SharedTwoLayers(seed: 1);
    Console.WriteLine("Shared (VariableScope + GetVariable, Reuse.Auto):");
    foreach (var v in ((IModel)shared).AllVariables) Console.WriteLine($"  {v.Name} {v.ShapeText}");
    var (a, b) = shared.Logits(x, x);
    Console.WriteLine($"  {((IModel)shared).AllVariables.Count} variables; logits1 == logits2: {a.Data.AsSpan().SequenceEqual(b.Data)}");
    Console.WriteLine($"  typed access: Variables.TwoLayers.H1.Weights is {shared.Variables.TwoLayers.H1.Weights.Name}");

    var unshared = new UnsharedTwoLayers(seed: 1);
    Console.WriteLine("Unshared (Variable):");
    foreach (var v in ((IModel)unshared).AllVariables) Console.WriteLine($"  {v.Name} {v.ShapeText}");
    var (c, d) = unshared.Logits(x, x);
    Console.WriteLine($"  {((IModel)unshared).AllVariables.Count} variables; logits1 == logits2: {c.Data.AsSpan().SequenceEqual(d.Data)}");

    var layers = new LayerTwoLayers(seed: 1);
    Console.WriteLine("Layers (Dense described once, applied by Sequential to x1 and to x2):");
    foreach (var v in ((IModel)layers).AllVariables) Console.WriteLine($"  {v.Name} {v.ShapeText}");
    var (e, f) = layers.Logits(x, x);
    Console.WriteLine($"  {((IModel)layers).AllVariables.Count} variables; logits1 == logits2: {e.Data.AsSpan().SequenceEqual(f.Data)}");
    return ExitCodes.Success;
});
