using FluentAssertions;
using Ribat.Core.Cooperation;
using Ribat.Core.Sharing;
using Ribat.Core.Tenancy;
using Ribat.Web.Components.Shared;
using Ribat.Web.Components.Layout;
using Ribat.Web.Localisation;

namespace Ribat.Web.Tests;

public sealed class LocalisationTests
{
    private readonly UiText _text = new();

    [Fact]
    public void Every_language_has_every_key_and_no_empty_value()
    {
        var keys = Languages.All.SelectMany(l => _text.Table(l).Keys).ToHashSet(StringComparer.Ordinal);
        keys.Should().NotBeEmpty();

        foreach (var language in Languages.All)
        {
            var table = _text.Table(language);
            table.Keys.Should().BeEquivalentTo(keys, $"the {language} table must translate every string");
            table.Where(e => string.IsNullOrWhiteSpace(e.Value)).Select(e => e.Key).Should().BeEmpty($"no {language} string may be empty");
        }
    }

    [Fact]
    public void Strings_built_from_domain_values_exist_for_every_value()
    {
        var dynamicKeys = Roles.All.Select(r => $"role.{r}")
            .Concat(Enum.GetValues<OrganisationKind>().Select(k => $"kind.{OrganisationKinds.Spell(k)}"))
            .Concat(Navigation.Entries.Select(e => e.TextKey))
            .Concat(["scope.read", "scope.write"])
            .Concat(Tlps.All.Select(t => $"tlp.help.{t.Spell()[4..]}"))
            .Concat(Paps.All.Select(p => $"pap.help.{p.Spell()[4..]}"))
            .Concat(SharingTermsForm.Distributions.SelectMany(d => new[] { $"distribution.{d}", $"distribution.help.{d}" }))
            .Concat(SharingTermsForm.HandlingCodes.Select(h => $"handling.{h}"))
            .Concat(Enum.GetValues<SourceReliability>().Select(s => $"evaluation.source.{s}"))
            .Concat(Enum.GetValues<InformationAssessment>().Select(i => $"evaluation.information.{(int)i}"))
            .Concat(Enum.GetValues<SharingRight>().Where(r => r != SharingRight.See).Select(r => $"right.{r}"))
            .Concat(Enum.GetValues<DenialCode>().Select(c => $"denial.{c.Spell()}"))
            .Concat(["relation.in-network", "relation.contains", "relation.same-registered-domain"])
            .Concat(["sighting.kind.seen", "sighting.kind.false-positive"])
            .Concat(Enum.GetValues<RequestType>().SelectMany(t => new[] { $"request.type.{t.Spell()}", $"request.typeHelp.{t.Spell()}" }))
            .Concat(Enum.GetValues<RequestStatus>().SelectMany(s => new[] { $"request.status.{s.Spell()}", $"request.move.{s.Spell()}" }))
            .Concat(Enum.GetValues<AddresseeKind>().Select(k => $"request.addressee.{k.Spell()}"))
            .Concat(Enum.GetValues<RequestType>().SelectMany(RequestForms.For).Select(f => $"request.field.{f.Name}"))
            .Concat(Enum.GetValues<RequestEventKind>().Select(k => $"request.event.{k.Spell()}"))
            .Concat(Enum.GetValues<ClockKind>().Select(k => $"clock.kind.{k.Spell()}"))
            .Concat(Enum.GetValues<ClockState>().Select(s => $"clock.state.{s.Spell()}"));

        _text.Table(Languages.English).Keys.Should().Contain(dynamicKeys);
    }

    [Fact]
    public void Placeholders_match_across_languages()
    {
        foreach (var (key, english) in _text.Table(Languages.English))
        {
            var expected = Placeholders(english);
            foreach (var language in Languages.All)
            {
                Placeholders(_text.Table(language)[key]).Should().BeEquivalentTo(expected, $"{language} '{key}' must keep the same placeholders");
            }
        }
    }

    [Fact]
    public void Arabic_translations_are_written_in_arabic()
    {
        _text.Table(Languages.Arabic)["nav.organisations"].Should().Be("المنظمات");
        _text.Table(Languages.Arabic).Values.Count(v => v.Any(c => c is >= '\u0600' and <= '\u06FF'))
            .Should().BeGreaterThan(_text.Table(Languages.Arabic).Count * 9 / 10, "nearly every Arabic string should be in Arabic script");
    }

    private static IEnumerable<string> Placeholders(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Order();
}
