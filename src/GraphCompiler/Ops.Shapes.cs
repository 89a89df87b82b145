namespace GraphCompiler;

/// <summary>Shape ops: adding, removing, joining, splitting, slicing, repeating and indexing axes.</summary>
public static partial class Ops
{
    /// <summary>
    /// Inserts an axis of size 1 at <paramref name="axis"/> (−rank−1..rank), NumPy's <c>np.newaxis</c>.
    /// Gradient: <c>dx = reshape(dy, shape(x))</c>.
    /// </summary>
    public static Tensor ExpandDims(Tensor x, int axis) => throw BuildTime.Only("Ops.ExpandDims");

    /// <summary>
    /// Removes size-1 axes: every static size-1 axis when <paramref name="axes"/> is null, else exactly
    /// the axes given (each must have size 1; the error names the one that does not).
    /// Gradient: <c>dx = reshape(dy, shape(x))</c>.
    /// </summary>
    public static Tensor Squeeze(Tensor x, int[]? axes = null) => throw BuildTime.Only("Ops.Squeeze");

    /// <summary>
    /// Joins tensors along an existing <paramref name="axis"/>: <c>y = [x₀; x₁; …]</c>, all other
    /// dimensions equal. Along a symbolic axis only one input may be non-empty.
    /// Gradient: <c>dxᵢ</c> = the slice of dy at xᵢ's offset along the axis.
    /// </summary>
    public static Tensor Concat(Tensor[] values, int axis) => throw BuildTime.Only("Ops.Concat");

    /// <summary>
    /// Joins same-shaped tensors along a new <paramref name="axis"/>: <c>y[…, i, …] = xᵢ</c>.
    /// Gradient: <c>dxᵢ = dy[…, i, …]</c>.
    /// </summary>
    public static Tensor Stack(Tensor[] values, int axis = 0) => throw BuildTime.Only("Ops.Stack");

    /// <summary>
    /// The slices of x along a static <paramref name="axis"/>, that axis removed: <c>yᵢ = x[…, i, …]</c>.
    /// Gradient: <c>dx = stack(dyᵢ)</c> (zeros for unused slices).
    /// </summary>
    public static Tensor[] Unstack(Tensor x, int axis = 0) => throw BuildTime.Only("Ops.Unstack");

    /// <summary>
    /// Splits x into <paramref name="numSplits"/> equal parts along a static <paramref name="axis"/>.
    /// Gradient: <c>dx = concat(dyᵢ)</c> (zeros for unused parts).
    /// </summary>
    public static Tensor[] Split(Tensor x, int numSplits, int axis = 0) => throw BuildTime.Only("Ops.Split");

    /// <summary>
    /// Splits x into parts of <paramref name="sizeSplits"/> along <paramref name="axis"/>; one size may
    /// be -1 (the rest). Gradient: <c>dx = concat(dyᵢ)</c> (zeros for unused parts).
    /// </summary>
    public static Tensor[] Split(Tensor x, int[] sizeSplits, int axis = 0) => throw BuildTime.Only("Ops.Split");

    /// <summary>
    /// <c>y = x[b₀ : b₀+s₀, b₁ : b₁+s₁, …]</c> for <paramref name="begin"/> b and <paramref name="size"/> s,
    /// a size of -1 meaning to the end. On a symbolic axis take the whole axis or a static size
    /// (checked when the model runs). Gradient: <c>dx</c> = zeros of x's shape with dy in the window.
    /// </summary>
    public static Tensor Slice(Tensor x, int[] begin, int[] size) => throw BuildTime.Only("Ops.Slice");

    /// <summary>
    /// <c>y = x[b₀ : e₀ : s₀, …]</c> with TensorFlow's semantics: negative begin and end count from the
    /// end and are clamped; strides may be negative; bit i of <paramref name="beginMask"/> /
    /// <paramref name="endMask"/> ignores begin[i] / end[i] (the full range); bit i of
    /// <paramref name="shrinkAxisMask"/> takes the single index begin[i] and removes the axis. Axes
    /// past the given ones are taken whole. Gradient: <c>dx</c> = zeros of x's shape with dy at the
    /// strided positions.
    /// </summary>
    public static Tensor StridedSlice(Tensor x, int[] begin, int[] end, int[]? strides = null, int beginMask = 0, int endMask = 0, int shrinkAxisMask = 0) =>
        throw BuildTime.Only("Ops.StridedSlice");

    /// <summary>
    /// Repeats x along each axis: <c>y[i] = x[i mod shape(x)]</c>, of shape <c>shape(x)·multiples</c>.
    /// Gradient: <c>dx</c> = the sum of dy over the repetitions.
    /// </summary>
    public static Tensor Tile(Tensor x, int[] multiples) => throw BuildTime.Only("Ops.Tile");

    /// <summary>
    /// Constant padding: <paramref name="paddings"/>[a] = [before, after] elements of
    /// <paramref name="constantValue"/> on axis a. Gradient: <c>dx</c> = the window of dy where x lies.
    /// </summary>
    public static Tensor Pad(Tensor x, int[][] paddings, float constantValue = 0f) => throw BuildTime.Only("Ops.Pad");

    /// <summary>
    /// Constant padding with flat pairs <c>[before₀, after₀, before₁, after₁, …]</c>; see
    /// <see cref="Pad(Tensor, int[][], float)"/>.
    /// </summary>
    public static Tensor Pad(Tensor x, int[] paddings, float constantValue = 0f) => throw BuildTime.Only("Ops.Pad");

    /// <summary>
    /// <c>y[p…, i…, q…] = params[p…, indices[i…], q…]</c> along <paramref name="axis"/>, indices Int32 or
    /// Int64 (an out-of-range index is an error naming it and its position). Gradient:
    /// <c>dparams</c> = dy rows scatter-added at the indices (a sparse row update along axis 0).
    /// </summary>
    public static Tensor Gather(Tensor @params, Tensor indices, int axis = 0) => throw BuildTime.Only("Ops.Gather");

    /// <summary>
    /// <c>tf.nn.embedding_lookup</c>: <c>y[i…, :] = params[ids[i…], :]</c> for a table [V, D] and Int32 ids.
    /// Gradient: a sparse row update of the table (<c>sparse_rows</c>: dy rows added at ids, repeated
    /// ids accumulating), never a dense [V, D] tensor.
    /// </summary>
    public static Tensor EmbeddingLookup(Tensor @params, Tensor ids) => throw BuildTime.Only("Ops.EmbeddingLookup");

    /// <summary>
    /// <c>y[…, d, …] = onValue if indices[…] = d else offValue</c>, a new axis of size
    /// <paramref name="depth"/> at <paramref name="axis"/> (-1 appends it); indices outside [0, depth)
    /// give offValue everywhere. No gradient (indices are integers).
    /// </summary>
    public static Tensor OneHot(Tensor indices, int depth, float onValue = 1f, float offValue = 0f, int axis = -1, DType dtype = DType.Float32) =>
        throw BuildTime.Only("Ops.OneHot");

    /// <summary>The Int32 constant <c>[0, 1, …, limit−1]</c>. No gradient.</summary>
    public static Tensor Range(int limit) => throw BuildTime.Only("Ops.Range");

    /// <summary>The Int32 constant <c>[start, start+delta, …]</c> up to but excluding <paramref name="limit"/>. No gradient.</summary>
    public static Tensor Range(int start, int limit, int delta = 1) => throw BuildTime.Only("Ops.Range");

    /// <summary>The Float32 constant <c>[start, start+delta, …]</c> up to but excluding <paramref name="limit"/>. No gradient.</summary>
    public static Tensor Range(float start, float limit, float delta = 1f) => throw BuildTime.Only("Ops.Range");

    /// <summary>
    /// A tensor of <paramref name="shape"/> (dimensions may be symbolic, read from another tensor's
    /// shape) filled with <paramref name="value"/>. No gradient.
    /// </summary>
    public static Tensor Fill(int[] shape, float value, DType dtype = DType.Float32) => throw BuildTime.Only("Ops.Fill");

    /// <summary>Zeros of x's shape and dtype. No gradient flows to x.</summary>
    public static Tensor ZerosLike(Tensor x) => throw BuildTime.Only("Ops.ZerosLike");

    /// <summary>Ones of x's shape and dtype. No gradient flows to x.</summary>
    public static Tensor OnesLike(Tensor x) => throw BuildTime.Only("Ops.OnesLike");
}
