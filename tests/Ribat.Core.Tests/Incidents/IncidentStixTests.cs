using System.Text.Json;
using Ribat.Core.Incidents;
using Ribat.Stix;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Validation;

namespace Ribat.Core.Tests.Incidents;

public sealed class IncidentStixTests
{
    private static readonly Guid LocalNode = Guid.CreateVersion7();

    private static Incident Sample()
    {
        var id = Guid.CreateVersion7();
        var at = new DateTimeOffset(2026, 11, 23, 8, 30, 15, 123, TimeSpan.Zero).AddTicks(4567);
        return new Incident
        {
            Id = id,
            StixId = $"incident--{id}",
            Title = "Worm in hospitals",
            Category = "malicious-code:infected-system",
            Severity = IncidentSeverity.Critical,
            Sectors = ["health"],
            Countries = ["JO", "MA"],
            Status = IncidentStatus.Containment,
            StatusChangedAt = at,
            ReportedAt = at,
            ContainedAt = at,
            OwnerOrganisationId = Guid.CreateVersion7(),
            CreatedAt = at,
            Participants =
            [
                new IncidentParticipant { OrganisationId = Guid.CreateVersion7(), JoinedAt = at },
                new IncidentParticipant { OrganisationId = Guid.CreateVersion7(), OrganisationNode = Guid.CreateVersion7(), JoinedAt = at },
            ],
        };
    }

    [Fact]
    public void An_incident_is_a_valid_stix_incident_naming_every_node_absolutely()
    {
        var row = Sample();
        var stix = IncidentStix.Incident(row, LocalNode, mergedIntoStixId: null);
        stix["modified"] = IncidentStix.Stamp(row.CreatedAt);
        using var json = JsonDocument.Parse(stix.ToJsonString());

        new StixValidator().ValidateObject(json.RootElement).Where(e => e.Severity == StixSeverity.Error).Should().BeEmpty();
        var root = json.RootElement;
        root.GetProperty("lead_node").GetGuid().Should().Be(LocalNode, "this node is spelled out, never left implicit");
        root.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("node").GetGuid())
            .Should().BeEquivalentTo([LocalNode, row.Participants[1].OrganisationNode!.Value]);
        root.GetProperty("reported").GetString().Should().Be("2026-11-23T08:30:15.123Z", "STIX timestamps with milliseconds, UTC");
        root.GetProperty("status").GetString().Should().Be("containment");
        root.TryGetProperty("resolved", out _).Should().BeFalse("an absent clock is left out, never null");
    }

    [Fact]
    public void A_derived_id_is_stable_per_subject_and_organisation_and_a_valid_stix_id()
    {
        var organisation = Guid.CreateVersion7();
        var first = IncidentStix.DerivedId(IncidentStix.AcknowledgementType, "incident--1", organisation);
        IncidentStix.DerivedId(IncidentStix.AcknowledgementType, "incident--1", organisation).Should().Be(first);
        IncidentStix.DerivedId(IncidentStix.AcknowledgementType, "incident--2", organisation).Should().NotBe(first);
        IncidentStix.DerivedId(IncidentStix.AcknowledgementType, "incident--1", Guid.CreateVersion7()).Should().NotBe(first);
        StixIdentifier.TrySplit(first, out var type, out _).Should().BeTrue();
        type.Should().Be(IncidentStix.AcknowledgementType);
    }

    [Theory]
    [InlineData("""{"text":"line\u0007bell"}""", "text holds control characters")]
    [InlineData("""{"text":""}""", "text is empty")]
    [InlineData("""{"text":42}""", "text is not a string")]
    [InlineData("""{}""", "text is missing")]
    public void The_field_reader_keeps_the_first_problem_as_a_reason(string json, string reason)
    {
        using var document = JsonDocument.Parse(json);
        var reader = new StixFieldReader(document.RootElement);
        reader.Text("text", 10, multiline: true);
        reader.Text("text", 0);
        reader.Problem.Should().Be(reason);
    }

    [Fact]
    public void The_field_reader_refuses_oversized_lists_bad_references_and_times()
    {
        using var document = JsonDocument.Parse($$"""
            {"text":"{{new string('x', 11)}}","multi":"a\nb","ref":"indicator--{{Guid.NewGuid()}}","when":"yesterday","many":[{{string.Join(",", Enumerable.Repeat("\"health\"", 51))}}]}
            """);
        var reader = new StixFieldReader(document.RootElement);
        reader.Text("multi", 10, multiline: true).Should().Be("a\nb", "line breaks are allowed where text runs over lines");
        reader.Ok.Should().BeTrue();
        reader.Text("text", 10);
        reader.Problem.Should().Be("text is longer than 10 characters");

        var references = new StixFieldReader(document.RootElement);
        references.Reference("ref", "incident");
        references.Problem.Should().Be("ref is not a reference to an incident");

        var times = new StixFieldReader(document.RootElement);
        times.Time("when");
        times.Problem.Should().Be("when is not a STIX timestamp");

        var lists = new StixFieldReader(document.RootElement);
        lists.Words("many", 50, IncidentSectors.TryParse, "a sector");
        lists.Problem.Should().Be("many has more than 50 items");
    }
}
