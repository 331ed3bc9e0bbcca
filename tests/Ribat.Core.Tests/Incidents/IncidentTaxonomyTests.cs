using Ribat.Core.Incidents;

namespace Ribat.Core.Tests.Incidents;

/// <summary>The shipped ENISA reference taxonomy is whole, well formed and spelled as its machine tags are.</summary>
public sealed class IncidentTaxonomyTests
{
    [Fact]
    public void The_eleven_classes_of_the_reference_taxonomy_are_shipped_with_their_types()
    {
        IncidentTaxonomy.Classes.Select(c => c.Value).Should().Equal(
            "abusive-content", "malicious-code", "information-gathering", "intrusion-attempts", "intrusions", "availability",
            "information-content-security", "fraud", "vulnerable", "other", "test");
        IncidentTaxonomy.Classes.Should().OnlyContain(c => c.Types.Count > 0 && !string.IsNullOrWhiteSpace(c.Name));
        IncidentTaxonomy.Categories.Should().Contain(["malicious-code:infected-system", "availability:ddos", "fraud:phishing", "intrusions:system-compromise",
            "information-content-security:unauthorised-information-modification", "other:undetermined"]);
    }

    [Fact]
    public void Every_value_is_a_lower_case_machine_tag_and_unique()
    {
        var slug = new System.Text.RegularExpressions.Regex("^[a-z0-9]+(-[a-z0-9]+)*$");
        foreach (var cls in IncidentTaxonomy.Classes)
        {
            slug.IsMatch(cls.Value).Should().BeTrue(cls.Value);
            cls.Types.Select(t => t.Value).Should().OnlyHaveUniqueItems(cls.Value);
            cls.Types.Should().OnlyContain(t => slug.IsMatch(t.Value) && !string.IsNullOrWhiteSpace(t.Name), cls.Value);
        }

        IncidentTaxonomy.Classes.Select(c => c.Value).Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData("Malicious-Code:Infected-System", "malicious-code:infected-system")]
    [InlineData(" availability:ddos ", "availability:ddos")]
    public void Categories_parse_whatever_the_case(string text, string expected)
    {
        IncidentTaxonomy.TryParse(text, out var category).Should().BeTrue();
        category.Should().Be(expected);
        IncidentTaxonomy.NameOf(category).Should().Contain(" / ");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("malicious-code")]
    [InlineData("malicious-code:")]
    [InlineData("availability:ransomware")]
    [InlineData("test:test:test")]
    public void Anything_else_is_refused(string? text) => IncidentTaxonomy.TryParse(text, out _).Should().BeFalse();
}
