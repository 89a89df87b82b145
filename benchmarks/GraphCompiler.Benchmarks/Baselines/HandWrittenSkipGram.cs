namespace GraphCompiler.Benchmarks.Baselines;

/// <summary>
/// The negative-sampling step written by hand, pair by pair as word2vec's C loop, but with the graph's
/// batch semantics (every gradient from the batch's starting values, then the updates): the same math
/// as the generated step, so the two can be checked against each other and timed side by side.
/// </summary>
public sealed class HandWrittenSkipGram(float[] embed, float[] weights, int dim)
{
    public float[] Embed { get; } = embed;
    public float[] Weights { get; } = weights;

    private float[] _grads = [];
    private float[] _coefficients = [];

    public float TrainStep(int[] centers, int[] contexts, int[] negatives, float learningRate)
    {
        int batch = centers.Length, k = negatives.Length / batch;
        if (_grads.Length != batch * dim) _grads = new float[batch * dim];
        if (_coefficients.Length != batch * (k + 1)) _coefficients = new float[batch * (k + 1)];
        double loss = 0;
        Array.Clear(_grads);
        for (int b = 0; b < batch; b++)
        {
            var u = Embed.AsSpan(centers[b] * dim, dim);
            var grad = _grads.AsSpan(b * dim, dim);
            for (int j = 0; j <= k; j++)
            {
                int target = j == 0 ? contexts[b] : negatives[b * k + j - 1];
                var v = Weights.AsSpan(target * dim, dim);
                float z = 0;
                for (int c = 0; c < dim; c++) z += u[c] * v[c];
                // −log σ(z) for the context, −log σ(−z) for noise; d/dz = σ(z) − label.
                float signed = j == 0 ? -z : z;
                loss += Math.Max(signed, 0) + Math.Log(1 + Math.Exp(-Math.Abs(signed)));
                float g = (1f / (1f + MathF.Exp(-z)) - (j == 0 ? 1f : 0f)) / batch;
                _coefficients[b * (k + 1) + j] = g;
                for (int c = 0; c < dim; c++) grad[c] += g * v[c];
            }
        }
        for (int b = 0; b < batch; b++)
        {
            var u = Embed.AsSpan(centers[b] * dim, dim);
            for (int j = 0; j <= k; j++)
            {
                int target = j == 0 ? contexts[b] : negatives[b * k + j - 1];
                var v = Weights.AsSpan(target * dim, dim);
                float step = learningRate * _coefficients[b * (k + 1) + j];
                for (int c = 0; c < dim; c++) v[c] -= step * u[c];
            }
        }
        for (int b = 0; b < batch; b++)
        {
            var u = Embed.AsSpan(centers[b] * dim, dim);
            var grad = _grads.AsSpan(b * dim, dim);
            for (int c = 0; c < dim; c++) u[c] -= learningRate * grad[c];
        }
        return (float)(loss / batch);
    }
}
