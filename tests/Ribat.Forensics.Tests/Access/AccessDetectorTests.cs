using Ribat.Forensics.Access;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Logs;
using static Ribat.Forensics.Tests.Access.SecurityEvents;

namespace Ribat.Forensics.Tests.Access;

public sealed class AccessDetectorTests
{
    private static readonly AccessDetectionOptions Options = new() { WorkdayStart = new(0, 0), WorkdayEnd = new(23, 59), WorkingDays = Enum.GetValues<DayOfWeek>().ToHashSet() };

    [Fact]
    public void Ten_failures_from_one_source_in_five_minutes_are_one_brute_force_burst_that_grows()
    {
        var events = new List<LogEvent>();
        for (var i = 0; i < 12; i++)
        {
            events.Add(Failure(Monday.AddSeconds(i * 10), "administrator"));
        }

        for (var i = 0; i < 9; i++)
        {
            events.Add(Failure(Monday.AddSeconds(i * 10), "bob", ip: "198.51.100.9"));
        }

        events.Add(Failure(Monday.AddMinutes(30), "administrator"));
        var findings = Detect(events.OrderBy(e => e.Timestamp));

        var burst = findings.Should().ContainSingle(f => f.Kind == AccessFindingKind.BruteForce).Subject;
        burst.Source.Should().Be("203.0.113.5");
        burst.Count.Should().Be(12);
        burst.First.Should().Be(Monday);
        burst.Last.Should().Be(Monday.AddSeconds(110));
        burst.Accounts.Should().Equal("administrator");
        burst.Evidence.Should().HaveCount(12).And.OnlyContain(e => e.SourceFile == "Security.evtx");
        burst.Evidence.Select(e => e.RecordId).Should().Equal(events.Take(12).Select(e => e.RecordId));
    }

    [Fact]
    public void Failures_spaced_wider_than_the_window_are_no_brute_force()
    {
        var findings = Detect(Enumerable.Range(0, 30).Select(i => Failure(Monday.AddMinutes(i), "root")));

        findings.Should().NotContain(f => f.Kind == AccessFindingKind.BruteForce);
    }

    [Fact]
    public void One_source_failing_on_five_accounts_is_password_spraying()
    {
        var accounts = new[] { "alice", "bob", "carol", "dave", "erin", "frank" };
        var findings = Detect(accounts.Select((a, i) => Failure(Monday.AddMinutes(i * 4), a, ip: "192.0.2.77")));

        var spray = findings.Should().ContainSingle().Subject;
        spray.Kind.Should().Be(AccessFindingKind.PasswordSpraying);
        spray.Account.Should().BeNull();
        spray.Accounts.Should().Equal(accounts);
        spray.Count.Should().Be(6);
        spray.First.Should().Be(Monday);
        spray.Last.Should().Be(Monday.AddMinutes(20));
    }

    [Fact]
    public void A_success_after_five_failures_from_the_same_source_is_reported_and_after_four_it_is_not()
    {
        var events = new List<LogEvent>();
        events.AddRange(Enumerable.Range(0, 5).Select(i => Failure(Monday.AddMinutes(i), "alice")));
        events.Add(Failure(Monday.AddMinutes(5), "alice", ip: "198.51.100.1"));
        events.Add(Success(Monday.AddMinutes(6), "alice"));
        events.AddRange(Enumerable.Range(0, 4).Select(i => Failure(Monday.AddMinutes(10 + i), "bob")));
        events.Add(Success(Monday.AddMinutes(15), "bob"));
        var findings = Detect(events);

        var found = findings.Should().ContainSingle(f => f.Kind == AccessFindingKind.SuccessAfterFailures).Subject;
        found.Account.Should().Be("alice");
        found.Source.Should().Be("203.0.113.5");
        found.Count.Should().Be(6);
        found.First.Should().Be(Monday);
        found.Last.Should().Be(Monday.AddMinutes(6));
        found.Evidence[^1].RecordId.Should().Be(events[6].RecordId);
    }

    [Fact]
    public void Without_an_enricher_a_new_address_for_a_known_account_is_first_seen()
    {
        var findings = Detect(
        [
            Success(Monday, "alice", "10.0.0.1"),
            Success(Monday.AddHours(1), "alice", "10.0.0.1"),
            Success(Monday.AddHours(2), "bob", "10.9.9.9"),
            Success(Monday.AddHours(3), "alice", "::ffff:81.2.69.142"),
        ]);

        var first = findings.Should().ContainSingle().Subject;
        first.Kind.Should().Be(AccessFindingKind.FirstSeenSource);
        first.Account.Should().Be("alice");
        first.Source.Should().Be("81.2.69.142");
        first.Detail.Should().Contain("81.2.69.142");
    }

    [Fact]
    public void With_a_country_database_only_a_new_country_is_first_seen()
    {
        // maxmind/MaxMind-DB test data: 81.2.69.142/31 and 81.2.69.144/28 are GB, 89.160.20.112/28 is SE.
        using var enricher = AddressEnricher.Open(countryPath: SharedCorpus.Path("geoip", "GeoLite2-Country-Test.mmdb")).Enricher!;
        var detector = new AccessDetector(Options, enricher);
        foreach (var e in new[] { Success(Monday, "alice", "81.2.69.142"), Success(Monday.AddHours(1), "alice", "81.2.69.150"), Success(Monday.AddHours(2), "alice", "89.160.20.120") })
        {
            detector.Observe(e);
        }

        var first = detector.Findings().Should().ContainSingle().Subject;
        first.Source.Should().Be("89.160.20.120");
        first.Detail.Should().StartWith("first logon from SE");
    }

    [Fact]
    public void Logons_outside_working_hours_in_the_configured_zone_are_grouped_per_account_and_day()
    {
        var plus3 = TimeZoneInfo.CreateCustomTimeZone("UTC+3", TimeSpan.FromHours(3), "UTC+3", "UTC+3");
        var options = new AccessDetectionOptions { WorkdayStart = new(8, 0), WorkdayEnd = new(18, 0), TimeZone = plus3 };
        var detector = new AccessDetector(options);
        var monday = new DateTimeOffset(2024, 6, 3, 0, 0, 0, TimeSpan.Zero);
        foreach (var e in new[]
        {
            Success(monday.AddHours(6), "alice", logonType: "10"),   // 09:00 local
            Success(monday.AddHours(15), "alice", logonType: "10"),  // 18:00 local: the day has ended
            Success(monday.AddHours(16), "alice", logonType: "10"),  // 19:00 local
            Success(monday.AddDays(5).AddHours(8), "alice", logonType: "10"), // Saturday 11:00 local
        })
        {
            detector.Observe(e);
        }

        var findings = detector.Findings().Where(f => f.Kind == AccessFindingKind.UnusualHours).ToList();
        findings.Should().HaveCount(2);
        findings[0].Count.Should().Be(2);
        findings[0].Detail.Should().Contain("2024-06-03 Monday");
        findings[1].Detail.Should().Contain("Saturday");
    }

    [Fact]
    public void Service_logons_machine_accounts_and_other_channels_are_not_attempts()
    {
        var detector = new AccessDetector(Options);
        detector.Observe(Success(Monday, "alice", logonType: "5"));
        detector.Observe(Failure(Monday, "DC01$"));
        detector.Observe(Failure(Monday, "SYSTEM"));
        detector.Observe(new LogEvent(LogFormat.Evtx, "x.evtx", 1, Monday, [new("TargetUserName", "bob"), new("EventID", "4625"), new("Channel", "Application")]));
        detector.Observe(new LogEvent(LogFormat.Evtx, "x.evtx", 2, null, [new("TargetUserName", "bob"), new("EventID", "4625")]));

        detector.Attempts.Should().Be(0);
    }

    [Fact]
    public void Kerberos_and_ntlm_events_count_with_their_status()
    {
        var events = new List<LogEvent>();
        for (var i = 0; i < 10; i++)
        {
            events.Add(Logon(4771, Monday.AddSeconds(i), "svc-sql", "::ffff:10.1.2.3", status: "0x18"));
        }

        events.Add(Logon(4776, Monday.AddSeconds(20), "svc-sql", ip: null, status: "0x0"));
        var detector = new AccessDetector(Options);
        events.ForEach(detector.Observe);

        detector.Attempts.Should().Be(11);
        var findings = detector.Findings();
        findings.Should().ContainSingle(f => f.Kind == AccessFindingKind.BruteForce).Which.Source.Should().Be("10.1.2.3");
    }

    [Fact]
    public void Sshd_and_su_lines_read_by_the_syslog_reader_feed_the_same_rules()
    {
        var lines = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            lines.Add($"Jun  3 10:00:{i:00} bastion sshd[{100 + i}]: Failed password for invalid user user{i} from 192.0.2.66 port {40000 + i} ssh2");
            lines.Add($"Jun  3 10:00:{i:00} bastion sshd[{100 + i}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.66  user=user{i}");
        }

        for (var i = 0; i < 5; i++)
        {
            lines.Add($"Jun  3 10:01:{i:00} bastion sshd[200]: Failed password for root from 192.0.2.66 port 50000 ssh2");
        }

        lines.Add("Jun  3 10:02:00 bastion sshd[200]: Accepted password for root from 192.0.2.66 port 50001 ssh2");
        var bytes = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines));
        var reader = LogFileReader.Open(new MemoryStream(bytes), "auth.log", new LogReadOptions { SyslogYear = 2024 });
        var detector = new AccessDetector(Options);
        foreach (var e in reader.ReadEvents())
        {
            detector.Observe(e);
        }

        detector.Attempts.Should().Be(16);
        var findings = detector.Findings();
        findings.Select(f => f.Kind).Should().Equal(AccessFindingKind.PasswordSpraying, AccessFindingKind.BruteForce, AccessFindingKind.SuccessAfterFailures);
        findings[1].Count.Should().Be(15);
        findings[2].Account.Should().Be("root");
        findings[2].Evidence[^1].Should().Be(new AccessEvidence("auth.log", 26));
    }

    [Fact]
    public void Bad_options_are_refused_with_the_reason()
    {
        var act = () => new AccessDetector(new AccessDetectionOptions { BruteForceFailures = 1 });
        act.Should().Throw<ArgumentException>().WithMessage("brute force needs at least 2 failures.*");
        new AccessDetectionOptions { WorkdayStart = new(18, 0), WorkdayEnd = new(8, 0) }.Validate().Should().Contain("end after it starts");
        new AccessDetectionOptions().Validate().Should().BeNull();
    }

    [Fact]
    public void Random_attempt_streams_with_a_small_state_cap_stay_consistent()
    {
        var random = new Random(20_240_603);
        var detector = new AccessDetector(Options with { MaxTrackedKeys = 100, MaxEvidence = 5 });
        var time = Monday;
        var failures = 0;
        for (var i = 0; i < 20_000; i++)
        {
            time = time.AddSeconds(random.Next(-5, 30));
            var account = "u" + random.Next(300);
            var ip = "10.0." + random.Next(4) + "." + random.Next(200);
            var failure = random.Next(4) != 0;
            failures += failure ? 1 : 0;
            detector.Observe(failure ? Failure(time, account, ip) : Success(time, account, ip));
        }

        detector.Attempts.Should().Be(20_000);
        detector.OutOfOrder.Should().BeGreaterThan(0);
        var findings = detector.Findings();
        findings.Where(f => f.Kind == AccessFindingKind.BruteForce).Sum(f => f.Count).Should().BeLessThanOrEqualTo(failures);
        findings.Should().OnlyContain(f => f.Evidence.Count <= 5 && f.First <= f.Last && f.Count >= 1);
    }

    private static IReadOnlyList<AccessFinding> Detect(IEnumerable<LogEvent> events)
    {
        var detector = new AccessDetector(Options);
        foreach (var e in events)
        {
            detector.Observe(e);
        }

        return detector.Findings();
    }
}
