using GraphCompiler.Compiler.IR;
using GraphCompiler.Compiler.Model;

namespace GraphCompiler.Compiler.Emit;

/// <summary>
/// How an entry method learns its symbolic dims: from an input's length when the input's other
/// dims are known, else as an explicit int parameter. Explicit dims are taken one at a time, each
/// unlocking what the lengths then determine ([groups, size] and [groups, k] inputs need only
/// groups), so the caller passes as few as possible. Shared by the entry's body and its signature,
/// which a model with build errors still emits.
/// </summary>
public static class DimBinding
{
    /// <summary>One symbol, bound in order: from <see cref="From"/>'s length, or an explicit parameter when null.</summary>
    public readonly record struct Step(string Symbol, ModelParameter? From);

    /// <summary>
    /// The binding order of <paramref name="symbols"/>; <paramref name="bound"/> (the model's dimension
    /// hyperparameters, fixed at construction) are known before any input is read and get no step.
    /// </summary>
    public static List<Step> Plan(IReadOnlyList<ModelParameter> parameters, IEnumerable<string> symbols, IEnumerable<string>? bound = null)
    {
        var steps = new List<Step>();
        var known = new HashSet<string>(bound ?? Array.Empty<string>());
        var all = symbols.Where(s => !known.Contains(s)).ToList();
        var inputs = parameters.Where(p => p.Shape.Rank > 0).ToList();
        while (true)
        {
            bool progress = true;
            while (progress)
            {
                progress = false;
                foreach (var p in inputs)
                {
                    var unknown = p.Shape.Where(d => !d.IsStatic && !known.Contains(d.Symbol!)).Select(d => d.Symbol!).ToList();
                    if (unknown.Count != 1 || p.Shape.Count(d => d.Symbol == unknown[0]) != 1) continue;
                    steps.Add(new Step(unknown[0], p));
                    known.Add(unknown[0]);
                    progress = true;
                }
            }
            // The first unknown dim in the order the inputs declare them ([m, n] needs m; n follows).
            var next = inputs.SelectMany(p => p.Shape).Where(d => !d.IsStatic).Select(d => d.Symbol!).Concat(all).FirstOrDefault(s => !known.Contains(s));
            if (next is null) break;
            steps.Add(new Step(next, null));
            known.Add(next);
        }
        return steps;
    }

    /// <summary>The symbols the caller passes explicitly, in parameter order.</summary>
    public static List<string> Explicit(IReadOnlyList<ModelParameter> parameters, IEnumerable<string> symbols, IEnumerable<string>? bound = null) =>
        Plan(parameters, symbols, bound).Where(s => s.From is null).Select(s => s.Symbol).ToList();
}
