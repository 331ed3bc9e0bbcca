using Ribat.Core.Incidents;

namespace Ribat.Core.Tests.Incidents;

/// <summary>The response metrics come out of the recorded times exactly.</summary>
public sealed class ResponseMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2017, 5, 12, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Lead = Guid.Parse("0190f1a0-0000-7000-8000-0000000000a1");
    private static readonly Guid Partner = Guid.Parse("0190f1a0-0000-7000-8000-0000000000b2");
    private static readonly Guid Late = Guid.Parse("0190f1a0-0000-7000-8000-0000000000c3");

    private static IncidentClocks Outbreak() => new(
        Guid.CreateVersion7(), Lead, T0, FirstSharedAt: T0.AddMinutes(20), ContainedAt: T0.AddHours(6), ResolvedAt: T0.AddDays(3), Closed: true,
        [
            new ParticipantClocks(Partner, T0.AddMinutes(20), AcknowledgedAt: T0.AddMinutes(25), FirstActionAt: T0.AddMinutes(50)),
            new ParticipantClocks(Late, T0.AddHours(2), AcknowledgedAt: null, FirstActionAt: null),
        ]);

    [Fact]
    public void Each_clock_gives_its_duration_attributed_to_the_organisation_it_measures()
    {
        var m = ResponseMetrics.Measure(Outbreak()).ToDictionary(x => (x.Metric, x.OrganisationId), x => x.Duration);
        m[(ResponseMetrics.FirstShare, Lead)].Should().Be(TimeSpan.FromMinutes(20));
        m[(ResponseMetrics.Contain, Lead)].Should().Be(TimeSpan.FromHours(6));
        m[(ResponseMetrics.Resolve, Lead)].Should().Be(TimeSpan.FromDays(3));
        m[(ResponseMetrics.Acknowledge, Partner)].Should().Be(TimeSpan.FromMinutes(5));
        m[(ResponseMetrics.ActOnShare, Partner)].Should().Be(TimeSpan.FromMinutes(30));
        m.Keys.Should().NotContain(k => k.OrganisationId == Late, "a participant that has not acknowledged or acted has no duration yet");
        m.Should().HaveCount(5);
    }

    [Fact]
    public void An_incident_not_closed_has_no_time_to_resolve_and_skewed_clocks_count_as_zero()
    {
        var open = Outbreak() with { Closed = false, FirstSharedAt = T0.AddMinutes(-3) };
        var m = ResponseMetrics.Measure(open).ToList();
        m.Should().NotContain(x => x.Metric == ResponseMetrics.Resolve);
        m.Single(x => x.Metric == ResponseMetrics.FirstShare).Duration.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Summaries_give_count_median_mean_and_90th_percentile_per_group()
    {
        var measurements = new[] { 60, 120, 180, 240, 1200 }.Select((s, n) =>
            new Measurement(ResponseMetrics.Acknowledge, Guid.CreateVersion7(), n < 3 ? Partner : Late, T0.AddDays(n * 20), TimeSpan.FromSeconds(s))).ToList();

        var overall = ResponseMetrics.Summarise(measurements, _ => "all").Single();
        overall.Count.Should().Be(5);
        overall.MedianSeconds.Should().Be(180);
        overall.MeanSeconds.Should().Be(360);
        overall.P90Seconds.Should().BeApproximately(816, 0.001, "interpolated between 240 and 1200");

        var byOrganisation = ResponseMetrics.Summarise(measurements, m => m.OrganisationId == Partner ? "partner" : "late");
        byOrganisation.Single(s => s.Group == "partner").MedianSeconds.Should().Be(120);
        byOrganisation.Single(s => s.Group == "late").MedianSeconds.Should().Be(720);

        var byMonth = ResponseMetrics.Summarise(measurements, m => ResponseMetrics.PeriodOf(m.At, "month"));
        byMonth.Select(s => s.Group).Should().Equal("2017-05", "2017-06", "2017-07");
        byMonth.Single(s => s.Group == "2017-06").Count.Should().Be(2, "1 and 21 June");
        byMonth.Single(s => s.Group == "2017-07").MedianSeconds.Should().Be(720, "240 s on 11 July and 1200 s on 31 July");
    }

    [Theory]
    [InlineData("2017-05-12T09:00:00Z", "week", "2017-W19")]
    [InlineData("2021-01-03T12:00:00Z", "week", "2020-W53")]
    [InlineData("2017-05-12T23:30:00-02:00", "day", "2017-05-13")]
    [InlineData("2017-05-12T09:00:00Z", "month", "2017-05")]
    public void Periods_are_named_in_utc(string at, string period, string expected) =>
        ResponseMetrics.PeriodOf(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), period).Should().Be(expected);

    [Fact]
    public void Percentiles_of_nothing_and_of_one_value_are_defined()
    {
        ResponseMetrics.Percentile([], 0.5).Should().Be(0);
        ResponseMetrics.Percentile([42], 0.9).Should().Be(42);
    }
}
