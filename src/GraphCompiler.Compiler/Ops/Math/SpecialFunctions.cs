namespace GraphCompiler.Compiler.Ops;

/// <summary>
/// Scalar functions that .NET lacks or computes imprecisely, in double precision. The reference
/// evaluation uses them directly and the runtime's <c>CpuOps</c> forwards to them, so generated code
/// and the interpreter agree to the last bit before the final rounding.
/// </summary>
public static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <summary>
    /// The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, by the everywhere-convergent series
    /// erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·5···(2n+1)). Every term is positive, so no
    /// cancellation occurs and the relative error is a few ulps (absolute error below 1e-15, far
    /// inside the 1e-7 that float32 callers need). For |x| ≥ 6, erfc(|x|) &lt; 3e-17 and the result is ±1.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double a = Math.Abs(x);
        if (a >= 6) return x > 0 ? 1 : -1;
        double twoA2 = 2 * a * a;
        double term = a, sum = a;
        for (int n = 1; n < 400; n++)
        {
            term *= twoA2 / (2 * n + 1);
            sum += term;
            if (term <= sum * 1e-17) break;
        }
        double r = TwoOverSqrtPi * Math.Exp(-a * a) * sum;
        if (r > 1) r = 1;
        return x < 0 ? -r : r;
    }

    /// <summary>
    /// log(1 + x), accurate for tiny x: with u = 1 + x rounded, log(u)·x/(u − 1) cancels the
    /// rounding of u (Goldberg's identity), where the naive log(u) would lose every digit of x.
    /// </summary>
    public static double Log1p(double x)
    {
        double u = 1 + x;
        if (u == 1) return x;
        if (double.IsInfinity(u) || u <= 0) return Math.Log(u);
        return Math.Log(u) * x / (u - 1);
    }

    /// <summary>The logistic function 1/(1 + e^(−x)), computed so that e^(…) never overflows.</summary>
    public static double Sigmoid(double x)
    {
        if (x >= 0) return 1 / (1 + Math.Exp(-x));
        double e = Math.Exp(x);
        return e / (1 + e);
    }

    /// <summary>ln(1 + eˣ) as max(x, 0) + ln(1 + e^(−|x|)): no overflow for large |x|, NaN for NaN.</summary>
    public static double Softplus(double x) => double.IsNaN(x) ? x : Math.Max(x, 0) + Log1p(Math.Exp(-Math.Abs(x)));
}
