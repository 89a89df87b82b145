using GraphCompiler.Runtime.Tests.Checkpoints;
using GraphCompiler.Runtime.Training;

namespace GraphCompiler.Runtime.Tests.Training;

/// <summary>The frozen-scope mask behind a generated model's Freeze/Unfreeze.</summary>
public class FreezeStateTests
{
    private static readonly string[] Freezable = ["embed", "body", "head"];

    private static TestModel Model()
    {
        var model = new TestModel();
        foreach (var name in new[] { "embed/table", "body/w", "head/w", "other/w" }) model.Add<float>(name, 2);
        return model;
    }

    [Fact]
    public void Freeze_and_unfreeze_set_and_clear_bits_by_declaration_order()
    {
        var model = Model();
        int[] variants = [1, 2, 3, 4, 5, 6];
        int mask = FreezeState.Change(model, Freezable, variants, 0, ["body/", "embed"], freeze: true);
        Assert.Equal(3, mask);
        Assert.Equal(new[] { "embed", "body" }, FreezeState.Names(Freezable, mask));
        Assert.Equal(2, FreezeState.Change(model, Freezable, variants, mask, ["embed"], freeze: false));
        Assert.Equal(0, FreezeState.Change(model, Freezable, variants, mask, [], freeze: false));
        Assert.Throws<ArgumentException>(() => FreezeState.Change(model, Freezable, variants, mask, [], freeze: true));
    }

    [Fact]
    public void A_set_without_a_train_step_is_refused_listing_the_sets_there_are()
    {
        var e = Assert.Throws<InvalidOperationException>(() => FreezeState.Change(Model(), Freezable, [1, 2, 4], 1, ["head"], freeze: true));
        Assert.Contains("TestModel has no train step with [embed, head] frozen", e.Message);
        Assert.Contains("the frozen sets it can train with are [embed], [body], [head]", e.Message);
    }

    [Fact]
    public void A_scope_that_is_not_freezable_is_named_with_the_ones_that_are()
    {
        var e = Assert.Throws<InvalidOperationException>(() => FreezeState.Change(Model(), Freezable, [1], 0, ["other"], freeze: true));
        Assert.Contains("cannot freeze 'other' in TestModel: it is a scope of the model, but no train step was generated with it frozen; add it to [Model(Freezable = ...)]; the freezable scopes are: embed, body, head", e.Message);
    }
}
