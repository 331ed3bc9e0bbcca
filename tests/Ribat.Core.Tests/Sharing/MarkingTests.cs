using System.Text.Json;
using Ribat.Core.Sharing;

namespace Ribat.Core.Tests.Sharing;

public sealed class MarkingTests
{
    [Theory]
    [InlineData(Tlp.Clear, "TLP:CLEAR")]
    [InlineData(Tlp.Green, "TLP:GREEN")]
    [InlineData(Tlp.Amber, "TLP:AMBER")]
    [InlineData(Tlp.AmberStrict, "TLP:AMBER+STRICT")]
    [InlineData(Tlp.Red, "TLP:RED")]
    public void Tlp_is_spelled_as_first_writes_it_and_reads_back(Tlp tlp, string label)
    {
        tlp.Spell().Should().Be(label);
        Tlps.TryParse(label, out var parsed).Should().BeTrue();
        parsed.Should().Be(tlp);
        Tlps.TryParse(" " + label.ToLowerInvariant() + " ", out parsed).Should().BeTrue();
        parsed.Should().Be(tlp);
        Tlps.TryParse(label[4..], out parsed).Should().BeTrue("the prefix is optional");
        parsed.Should().Be(tlp);
    }

    [Theory]
    [InlineData("TLP:WHITE")]
    [InlineData("white")]
    public void The_tlp_1_name_white_reads_as_clear(string text)
    {
        Tlps.TryParse(text, out var tlp).Should().BeTrue();
        tlp.Should().Be(Tlp.Clear);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("TLP:")]
    [InlineData("TLP:AMBER+")]
    [InlineData("TLP:STRICT")]
    [InlineData("TLP:AMBERSTRICT")]
    [InlineData("TLP:UNCLEAR")]
    [InlineData("PAP:RED")]
    [InlineData("4")]
    public void Anything_else_is_not_a_tlp(string? text) => Tlps.TryParse(text, out _).Should().BeFalse();

    // The ids are those of the OASIS TLP 2.0 marking definitions
    // (oasis-open/cti-stix-common-objects, extension-definition-specifications/tlp-2.0), all created 2022-10-01.
    [Theory]
    [InlineData(Tlp.Clear, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487")]
    [InlineData(Tlp.Green, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb")]
    [InlineData(Tlp.Amber, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421")]
    [InlineData(Tlp.AmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003")]
    [InlineData(Tlp.Red, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1")]
    public void Tlp_maps_to_the_stix_tlp_2_marking_definition(Tlp tlp, string id)
    {
        tlp.StixMarkingId().Should().Be(id);
        Tlps.TryParseStixMarkingId(id, out var parsed).Should().BeTrue();
        parsed.Should().Be(tlp);
    }

    [Fact]
    public void A_tlp_1_stix_marking_is_not_mistaken_for_tlp_2() =>
        // TLP 1.0 RED in STIX 2.1 has its own id; mapping 1.0 onto 2.0 is an ingress decision, not a parse.
        Tlps.TryParseStixMarkingId("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", out _).Should().BeFalse();

    // The MISP taxonomies (../shared/corpus/misp/taxonomies, CC0) are what MISP instances tag events with;
    // every TLP 2.0 and PAP level there must read as the level of the same name.
    [Fact]
    public void Every_tlp_2_level_in_the_misp_taxonomy_parses()
    {
        var predicates = MispPredicates("tlp.json");
        foreach (var name in new[] { "clear", "green", "amber", "amber+strict", "red" })
        {
            predicates.Should().Contain(name);
            Tlps.TryParse("tlp:" + name, out var tlp).Should().BeTrue(name);
            tlp.Spell().Should().Be("TLP:" + name.ToUpperInvariant());
        }
    }

    [Fact]
    public void Every_pap_level_in_the_misp_taxonomy_parses()
    {
        foreach (var name in MispPredicates("PAP.json"))
        {
            Paps.TryParse("PAP:" + name, out var pap).Should().BeTrue(name);
            (name == "WHITE" ? Pap.Clear.Spell() : "PAP:" + name).Should().Be(pap.Spell());
        }

        var levels = MispPredicates("PAP.json");
        Paps.All.Select(p => p.Spell().Substring(4)).Should().BeSubsetOf(levels);
    }

    [Theory]
    [InlineData(Pap.Clear, true)]
    [InlineData(Pap.Green, true)]
    [InlineData(Pap.Amber, false)]
    [InlineData(Pap.Red, false)]
    public void Only_pap_clear_and_green_allow_active_enrichment(Pap pap, bool active) =>
        pap.AllowsActiveEnrichment().Should().Be(active);

    [Fact]
    public void All_sixteen_handling_code_sets_round_trip()
    {
        HandlingCodeSpelling.AllCombinations.Should().HaveCount(16).And.OnlyHaveUniqueItems();
        foreach (var codes in HandlingCodeSpelling.AllCombinations)
        {
            HandlingCodeSpelling.TryParse(codes.Spell(), out var parsed).Should().BeTrue(codes.Spell());
            parsed.Should().Be(codes);
        }

        (HandlingCodes.H2 | HandlingCodes.H0).Spell().Should().Be("H0,H2");
        HandlingCodeSpelling.TryParse("h1 h3", out var spaced).Should().BeTrue();
        spaced.Should().Be(HandlingCodes.H1 | HandlingCodes.H3);
        HandlingCodeSpelling.TryParse("H4", out _).Should().BeFalse();
        HandlingCodeSpelling.TryParse("H0,None", out _).Should().BeFalse();
    }

    [Fact]
    public void All_sixteen_evaluations_round_trip()
    {
        Evaluation.All.Should().HaveCount(16);
        foreach (var evaluation in Evaluation.All)
        {
            Evaluation.TryParse(evaluation.Spell().ToLowerInvariant(), out var parsed).Should().BeTrue();
            parsed.Should().Be(evaluation);
        }

        new Evaluation(SourceReliability.B, InformationAssessment.KnownToSource).Spell().Should().Be("B2");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("B")]
    [InlineData("D1")]
    [InlineData("E5")]
    [InlineData("A0")]
    [InlineData("A5")]
    [InlineData("2B")]
    [InlineData("B22")]
    public void Evaluations_outside_the_4x4_are_rejected(string? text) => Evaluation.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void Terms_with_h3_need_their_conditions_and_only_h3_may_carry_them()
    {
        var owner = new OrganisationRef(Guid.NewGuid(), Guid.NewGuid());
        var terms = new SharingTerms(owner, Tlp.Green, Pap.Green, Distribution.Community, HandlingCodes.H3);
        terms.Validate()!.Fields.Should().ContainKey(nameof(SharingTerms.HandlingConditions));
        (terms with { HandlingConditions = "Inform the owner before arrest." }).Validate().Should().BeNull();
        (terms with { Handling = HandlingCodes.H2, HandlingConditions = "stray" }).Validate().Should().NotBeNull();
        (terms with { Handling = HandlingCodes.None, Recipients = new HashSet<OrganisationRef> { owner } }).Validate()!
            .Fields.Should().ContainKey(nameof(SharingTerms.Recipients));
    }

    [Fact]
    public void Distributions_spell_for_logs_and_apis()
    {
        var group = Guid.Parse("0191e4a0-0000-7000-8000-000000000001");
        new[] { Distribution.OrganisationOnly, Distribution.Community, Distribution.ConnectedCommunities, Distribution.ToSharingGroup(group) }
            .Select(d => d.Spell())
            .Should().Equal("organisation-only", "community", "connected-communities", $"sharing-group:{group}");
        default(Distribution).Should().Be(Distribution.OrganisationOnly, "an unset distribution is the narrowest");
    }

    private static HashSet<string> MispPredicates(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(MispTaxonomies(), file)));
        return json.RootElement.GetProperty("predicates").EnumerateArray().Select(p => p.GetProperty("value").GetString()!).ToHashSet();
    }

    private static string MispTaxonomies()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus", "misp", "taxonomies");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/corpus/misp/taxonomies was not found above the test directory; the corpus sits beside the repository.");
    }
}
