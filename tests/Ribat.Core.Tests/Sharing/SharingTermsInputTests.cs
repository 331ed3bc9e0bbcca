using Ribat.Core.Sharing;
using Ribat.Core.Sharing.Storage;

namespace Ribat.Core.Tests.Sharing;

public sealed class SharingTermsInputTests
{
    private static readonly OrganisationRef Owner = SharingWorld.Owner;

    private static readonly SharingTerms Current = new(Owner, Tlp.Green, Pap.Green, Distribution.Community, HandlingCodes.H2, null, new Evaluation(SourceReliability.B, InformationAssessment.KnownToSource));

    [Fact]
    public void Absent_fields_keep_the_current_terms()
    {
        var resolved = new SharingTermsInput().Resolve(Owner, Current);

        resolved.Error.Should().BeNull();
        resolved.Value.Should().BeEquivalentTo(Current);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_blank_evaluation_withdraws_the_current_one(string blank)
    {
        var resolved = new SharingTermsInput(Evaluation: blank).Resolve(Owner, Current);

        resolved.Error.Should().BeNull();
        resolved.Value!.Evaluation.Should().BeNull();
        resolved.Value.Tlp.Should().Be(Tlp.Green, "only the evaluation was changed");
    }

    [Fact]
    public void A_new_evaluation_replaces_the_current_one_and_a_bad_one_is_refused()
    {
        new SharingTermsInput(Evaluation: "a1").Resolve(Owner, Current).Value!.Evaluation!.Value.Spell().Should().Be("A1");
        new SharingTermsInput(Evaluation: "E5").Resolve(Owner, Current).Error!.Fields.Should().ContainKey("evaluation");
    }
}
