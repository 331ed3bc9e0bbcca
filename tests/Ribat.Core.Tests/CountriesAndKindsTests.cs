using Ribat.Core.Tenancy;

namespace Ribat.Core.Tests;

public sealed class CountriesAndKindsTests
{
    [Fact]
    public void Exactly_the_249_officially_assigned_codes_are_listed()
    {
        Countries.All.Should().HaveCount(249);
        Countries.All.Should().OnlyContain(c => c.Length == 2 && c.All(char.IsAsciiLetterUpper));
        Countries.All.Should().Contain(["FR", "MA", "JO", "DZ", "TN", "PS", "SS", "AX"]);
        Countries.All.Should().NotContain(["ZZ", "XX", "UK", "EU", "XK"], "only officially assigned codes are listed");
    }

    [Theory]
    [InlineData("FR", "FR")]
    [InlineData("fr", "FR")]
    [InlineData(" ma ", "MA")]
    [InlineData("Jo", "JO")]
    [InlineData("ZZ", "ZZ")]
    [InlineData("zz", "ZZ")]
    public void Known_codes_are_accepted_and_upper_cased(string text, string expected)
    {
        Countries.TryNormalise(text, out var code).Should().BeTrue();
        code.Should().Be(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("XX")]
    [InlineData("UK")]
    [InlineData("FRA")]
    [InlineData("F")]
    [InlineData("12")]
    [InlineData("F R")]
    public void Unknown_codes_are_rejected(string? text) =>
        Countries.TryNormalise(text, out _).Should().BeFalse();

    [Theory]
    [InlineData("cert", OrganisationKind.Cert)]
    [InlineData("CERT", OrganisationKind.Cert)]
    [InlineData("Police", OrganisationKind.Police)]
    [InlineData("prosecutor", OrganisationKind.Prosecutor)]
    [InlineData("regulator", OrganisationKind.Regulator)]
    [InlineData("private", OrganisationKind.Private)]
    public void Kinds_parse_by_name_in_any_case(string text, OrganisationKind expected)
    {
        OrganisationKinds.TryParse(text, out var kind).Should().BeTrue();
        kind.Should().Be(expected);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("99")]
    [InlineData("ngo")]
    [InlineData("police,prosecutor")]
    [InlineData("cert, police")]
    public void Numbers_unknown_names_and_combinations_are_rejected(string? text) =>
        OrganisationKinds.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void Every_kind_spells_in_lower_case_and_parses_back()
    {
        foreach (var kind in Enum.GetValues<OrganisationKind>())
        {
            var spelled = OrganisationKinds.Spell(kind);
            spelled.Should().Be(spelled.ToLowerInvariant());
            OrganisationKinds.TryParse(spelled, out var parsed).Should().BeTrue();
            parsed.Should().Be(kind);
            OrganisationKinds.Choices.Should().Contain(spelled);
        }
    }
}
