namespace GraphCompiler.Runtime.Tests.Devices;

/// <summary>
/// Attention over [items, Tq, dk] · [items, Tk, dk] · [items, Tk, dv] computed directly in double precision, with
/// an additive bias per logit: the forward (O and each row's log-sum-exp) and the textbook backward through the
/// full [Tq, Tk] probabilities, the reference the fused device kernels are held to.
/// </summary>
internal sealed class AttentionReference(int items, int tq, int tk, int dk, int dv, double scale, Func<int, int, int, double> bias)
{
    /// <summary>P[item, i, j] and the log-sum-exp of each row, from the scores of <paramref name="q"/> and <paramref name="k"/>.</summary>
    public (double[] P, double[] Lse) Softmax(double[] q, double[] k)
    {
        var p = new double[items * tq * tk];
        var lse = new double[items * tq];
        for (int item = 0; item < items; item++)
            for (int i = 0; i < tq; i++)
            {
                int row = item * tq + i;
                var x = new double[tk];
                for (int j = 0; j < tk; j++)
                {
                    double dot = 0;
                    for (int d = 0; d < dk; d++) dot += q[row * dk + d] * k[(item * tk + j) * dk + d];
                    x[j] = scale * dot + bias(item, i, j);
                }
                if (tk == 0) continue;
                double max = x.Max(), sum = x.Sum(s => Math.Exp(s - max));
                lse[row] = max + Math.Log(sum);
                for (int j = 0; j < tk; j++) p[row * tk + j] = Math.Exp(x[j] - max) / sum;
            }
        return (p, lse);
    }

    /// <summary>O = P·V.</summary>
    public double[] Output(double[] q, double[] k, double[] v)
    {
        var (p, _) = Softmax(q, k);
        var o = new double[items * tq * dv];
        for (int item = 0; item < items; item++)
            for (int i = 0; i < tq; i++)
                for (int j = 0; j < tk; j++)
                    for (int d = 0; d < dv; d++) o[(item * tq + i) * dv + d] += p[(item * tq + i) * tk + j] * v[(item * tk + j) * dv + d];
        return o;
    }

    /// <summary>dQ, dK, dV of Σ dO∘O: dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P∘(dP − rowsum(P∘dP)), dQ = scale·dS·K, dK = scale·dSᵀ·Q.</summary>
    public (double[] DQ, double[] DK, double[] DV) Gradients(double[] q, double[] k, double[] v, double[] dO)
    {
        var (p, _) = Softmax(q, k);
        var (dq, dkOut, dvOut) = (new double[q.Length], new double[k.Length], new double[v.Length]);
        for (int item = 0; item < items; item++)
            for (int i = 0; i < tq; i++)
            {
                int row = item * tq + i;
                var dp = new double[tk];
                double rowSum = 0;
                for (int j = 0; j < tk; j++)
                {
                    int key = item * tk + j;
                    for (int d = 0; d < dv; d++)
                    {
                        dp[j] += dO[row * dv + d] * v[key * dv + d];
                        dvOut[key * dv + d] += p[row * tk + j] * dO[row * dv + d];
                    }
                    rowSum += p[row * tk + j] * dp[j];
                }
                for (int j = 0; j < tk; j++)
                {
                    int key = item * tk + j;
                    double ds = scale * p[row * tk + j] * (dp[j] - rowSum);
                    for (int d = 0; d < dk; d++)
                    {
                        dq[row * dk + d] += ds * k[key * dk + d];
                        dkOut[key * dk + d] += ds * q[row * dk + d];
                    }
                }
            }
        return (dq, dkOut, dvOut);
    }
}
