namespace GraphCompiler.Runtime.Training;

/// <summary>
/// The run-time side of a generated model's <c>Freeze</c>/<c>Unfreeze</c>: the frozen scopes as a bit
/// mask over the model's freezable scopes (bit i: scope i), checked against the masks that have a
/// generated train step. Errors name the scope and what the model offers, and change nothing.
/// </summary>
public static class FreezeState
{
    /// <summary>The scopes of <paramref name="mask"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<string> freezable, int mask) =>
        freezable.Where((_, i) => (mask & (1 << i)) != 0).ToList();

    /// <summary>
    /// The mask after freezing (or unfreezing) <paramref name="scopes"/>; unfreezing none unfreezes all.
    /// A trailing <c>/</c> is ignored (<c>"body/"</c> is <c>"body"</c>).
    /// </summary>
    public static int Change(IModel model, IReadOnlyList<string> freezable, IReadOnlyList<int> variants, int mask, IReadOnlyList<string> scopes, bool freeze)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (!freeze && scopes.Count == 0) return 0;
        if (freeze && scopes.Count == 0) throw new ArgumentException("name at least one scope to freeze", nameof(scopes));
        int result = mask;
        foreach (var scope in scopes)
        {
            ArgumentNullException.ThrowIfNull(scope, nameof(scopes));
            int index = IndexOf(freezable, scope.TrimEnd('/'));
            if (index < 0) throw NotFreezable(model, freezable, scope);
            result = freeze ? result | (1 << index) : result & ~(1 << index);
        }
        if (result != 0 && !variants.Contains(result))
        {
            var available = variants.Select(v => "[" + string.Join(", ", Names(freezable, v)) + "]");
            throw new InvalidOperationException(
                $"{model.GetType().Name} has no train step with [{string.Join(", ", Names(freezable, result))}] frozen: " +
                "that would leave no trainable variable that the loss depends on; the frozen sets it can train with are " +
                (variants.Count == 0 ? "none" : string.Join(", ", available)));
        }
        return result;
    }

    private static int IndexOf(IReadOnlyList<string> freezable, string scope)
    {
        for (int i = 0; i < freezable.Count; i++)
            if (string.Equals(freezable[i].TrimEnd('/'), scope, StringComparison.Ordinal)) return i;
        return -1;
    }

    private static InvalidOperationException NotFreezable(IModel model, IReadOnlyList<string> freezable, string scope)
    {
        var name = scope.TrimEnd('/');
        var isScope = model.AllVariables.Names.Any(n => n == name || n.StartsWith(name + "/", StringComparison.Ordinal));
        var topLevel = model.AllVariables.Names.Select(n => n.Split('/')[0]).Distinct(StringComparer.Ordinal);
        return new InvalidOperationException(
            $"cannot freeze '{scope}' in {model.GetType().Name}: " +
            (isScope ? "it is a scope of the model, but no train step was generated with it frozen; add it to [Model(Freezable = ...)]"
                     : $"the model has no variable or scope of that name (its top-level scopes and variables: {string.Join(", ", topLevel)})") +
            $"; the freezable scopes are: {(freezable.Count == 0 ? "none" : string.Join(", ", freezable))}");
    }
}
