namespace GraphCompiler.Runtime.Execution;

/// <summary>
/// Places intermediate buffers in one arena. Which buffers are alive together is fixed when the
/// model is compiled (first and last kernel using each); only sizes depend on symbolic dims, so
/// generated code calls this once per new binding of the dims, never per step.
/// </summary>
public static class ArenaPlanner
{
    /// <summary>
    /// Greedy first-fit by decreasing size among buffers whose lifetimes [first, last] overlap.
    /// Writes each buffer's offset (in elements) and returns the arena length.
    /// </summary>
    public static int Plan(ReadOnlySpan<int> sizes, ReadOnlySpan<int> first, ReadOnlySpan<int> last, Span<int> offsets)
    {
        int n = sizes.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var sizeCopy = sizes.ToArray();
        Array.Sort(order, (a, b) => sizeCopy[b] != sizeCopy[a] ? sizeCopy[b].CompareTo(sizeCopy[a]) : a.CompareTo(b));
        var placed = new List<int>(n);
        int total = 0;
        foreach (var i in order)
        {
            // Candidate offsets: 0 and the end of every placed buffer alive at the same time.
            int best = -1;
            var candidates = new List<int> { 0 };
            foreach (var j in placed)
                if (Overlaps(first[i], last[i], first[j], last[j])) candidates.Add(offsets[j] + sizes[j]);
            candidates.Sort();
            foreach (var c in candidates)
            {
                bool fits = true;
                foreach (var j in placed)
                    if (Overlaps(first[i], last[i], first[j], last[j]) && c < offsets[j] + sizes[j] && offsets[j] < c + sizes[i])
                    {
                        fits = false;
                        break;
                    }
                if (fits)
                {
                    best = c;
                    break;
                }
            }
            offsets[i] = best;
            total = Math.Max(total, best + sizes[i]);
            placed.Add(i);
        }
        return total;
    }

    private static bool Overlaps(int a0, int a1, int b0, int b1) => a0 <= b1 && b0 <= a1;
}
