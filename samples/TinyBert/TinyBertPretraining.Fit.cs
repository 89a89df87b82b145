using GraphCompiler.Runtime.Training;

namespace TinyBert;

// The generator implements IFitModel for models with one or two inputs; this one has six, so the sample says how a
// batch of them trains, which gives it the runtime's smoke test (--smoke).
public partial class TinyBertPretraining : IFitModel<PretrainingInputs>
{
    float IFitModel<PretrainingInputs>.TrainOn(PretrainingInputs batch, float learningRate) => batch.TrainStep(this, learningRate);

    float IFitModel<PretrainingInputs>.LossOn(PretrainingInputs batch) =>
        Loss(batch.Ids, batch.Segments, batch.InputMask, batch.Positions, batch.Labels, batch.NextSentence);

    int IFitModel<PretrainingInputs>.BatchSize(PretrainingInputs batch) => batch.Count;

    string IFitModel<PretrainingInputs>.OptimizerName => "adamw";

    Classified? IFitModel<PretrainingInputs>.Classify(PretrainingInputs batch) => null;
}
