using ILGPU.Algorithms;

namespace GraphCompiler.Runtime.Devices;

/// <summary>
/// The stable special functions for generated device kernels: the same formulas as the CPU path's
/// (<c>CpuOps</c>, <c>SpecialFunctions</c>), spelled with ILGPU.Algorithms' <see cref="XMath"/> so that
/// ILGPU compiles them for every accelerator (a kernel may call static methods, not the BCL's).
/// </summary>
public static class DeviceMath
{
    /// <summary>1/(1 + e^(−x)) without overflow.</summary>
    public static float Sigmoid(float x)
    {
        if (x >= 0) return 1f / (1f + XMath.Exp(-x));
        float e = XMath.Exp(x);
        return e / (1f + e);
    }

    /// <inheritdoc cref="Sigmoid(float)"/>
    public static double Sigmoid(double x)
    {
        if (x >= 0) return 1.0 / (1.0 + XMath.Exp(-x));
        double e = XMath.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>ln(1 + x) with the rounding of 1 + x corrected (Goldberg's form), as on the CPU.</summary>
    public static float Log1p(float x)
    {
        float u = 1f + x;
        if (u == 1f) return x;
        if (float.IsInfinity(u) || u <= 0f) return XMath.Log(u);
        return XMath.Log(u) * x / (u - 1f);
    }

    /// <inheritdoc cref="Log1p(float)"/>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsInfinity(u) || u <= 0.0) return XMath.Log(u);
        return XMath.Log(u) * x / (u - 1.0);
    }

    /// <summary>max(x, 0) + ln(1 + e^(−|x|)): never overflows; NaN for NaN.</summary>
    public static float Softplus(float x) => float.IsNaN(x) ? x : XMath.Max(x, 0f) + Log1p(XMath.Exp(-XMath.Abs(x)));

    /// <inheritdoc cref="Softplus(float)"/>
    public static double Softplus(double x) => double.IsNaN(x) ? x : XMath.Max(x, 0.0) + Log1p(XMath.Exp(-XMath.Abs(x)));

    /// <summary>The error function, in double by the positive series the reference uses, rounded once.</summary>
    public static float Erf(float x) => (float)Erf((double)x);

    /// <inheritdoc cref="Erf(float)"/>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = XMath.Abs(x);
        if (a >= 6.0) return x > 0 ? 1.0 : -1.0;
        double twoA2 = 2.0 * a * a;
        double term = a, sum = a;
        for (int n = 1; n < 400; n++)
        {
            term *= twoA2 / (2 * n + 1);
            sum += term;
            if (term <= sum * 1e-17) break;
        }
        double r = 1.1283791670955126 * XMath.Exp(-a * a) * sum;
        if (r > 1.0) r = 1.0;
        return x < 0 ? -r : r;
    }
}
