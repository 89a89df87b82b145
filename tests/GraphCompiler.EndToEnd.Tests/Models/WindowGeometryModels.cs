using GraphCompiler;
using static GraphCompiler.Ops;

namespace GraphCompiler.EndToEnd.Tests.Models;

/// <summary>
/// Window geometries the other convolution models leave out: a 3×2 convolution with strides [2, 1] and
/// asymmetric SAME padding, a 1×1 convolution whose input gradient is needed (the image is its own patch
/// matrix), overlapping 3×3 stride-2 VALID max pooling and stride-2 SAME average pooling, on a 9×7 image
/// with 3 channels.
/// </summary>
[Model(Optimizer = Optimizer.GradientDescent)]
public partial class WindowGeometryModel
{
    static Tensor Network(Tensor x)
    {
        var h = Relu(Layers.Conv2D(x, 5, [3, 2], strides: [2, 1], padding: Padding.Same)); // [n, 5, 7, 5]
        h = Layers.Conv2D(h, 4, [1, 1]);                                                      // [n, 5, 7, 4]
        h = MaxPool2D(h, [3, 3], strides: [2, 2]);                                            // [n, 2, 3, 4]
        h = AvgPool2D(h, [2, 2], strides: [2, 2], padding: Padding.Same);                     // [n, 1, 2, 4]
        return Layers.Flatten(h);                                                             // [n, 8]
    }

    [Output]
    static Tensor Forward([Shape("n", 9, 7, 3)] Tensor x) => Network(x);

    [Loss]
    static Tensor Loss([Shape("n", 9, 7, 3)] Tensor x, [Shape("n", 8)] Tensor y) => ReduceMean(Square(Network(x) - y));
}
