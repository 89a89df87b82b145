using System.CommandLine;
using GraphCompiler.Runtime;
using GraphCompiler.Runtime.Data;
using GraphCompiler.Runtime.Training;
using GraphCompiler.Samples;
using LinearRegression;

// The TensorFlow getting-started program: 1000 steps of gradient descent, then the result as
// TensorFlow prints it (W: [-0.9999969] b: [0.9999908] loss: 5.6999738e-11).
return SampleProgram.Run(new RootCommand("TensorFlow's getting-started linear regression: 1000 steps of gradient descent, then tf.assign") { SampleProgram.Smoke }, args, parsed =>
{
    var model = new LinearModel(seed: 1);
    float[] x = [1, 2, 3, 4];
    float[] y = [0, -1, -2, -3];
    if (parsed.GetValue(SampleProgram.Smoke))
    {
        // The whole data set is the one batch: dL/dW = 52 and dL/db = 15.6 at the initial W = 0.3, b = -0.3.
        model.Fit(Dataset.Zip(Dataset.FromTensorSlices(x, [4]), Dataset.FromTensorSlices(y, [4])).Batch(4), learningRate: 0.01f, smokeTest: true);
        return ExitCodes.Success;
    }
    for (int step = 0; step < 1000; step++)
        model.TrainStep(x, y, learningRate: 0.01f);
    Console.WriteLine($"W: {model.Variables.W} b: {model.Variables.B} loss: {ArrayFormat.FormatFloat(model.Loss(x, y))}");

    // tf.assign(W, [-1.]), tf.assign(b, [1.]) makes the loss exactly zero.
    model.Variables.W.Assign([-1f]);
    model.Variables.B.Assign([1f]);
    Console.WriteLine($"after assign W: {model.Variables.W} b: {model.Variables.B} loss: {ArrayFormat.FormatFloat(model.Loss(x, y))}");
    return ExitCodes.Success;
});
