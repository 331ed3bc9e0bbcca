using System.Text;
using Ribat.Core.Indicators;
using Ribat.Core.Sharing.Storage;
using Ribat.Core.Tenancy;
using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>
/// Files in and out of the store on both databases. The MISP event is real: PyMISP's test suite
/// (MISP/PyMISP @ 99a1c797, BSD-2), read from ../shared/corpus/misp/events/.
/// </summary>
public abstract class ImportExportTests(RibatFactory node)
{
    private static string Corpus(string file) =>
        SharedCorpus.Path("misp", "events", file);

    private async Task<Actor> AnalystAsync()
    {
        var org = await node.CreateOrganisationAsync();
        var user = await node.CreateUserAsync(org.Id, Roles.Analyst);
        return new Actor(user.Id, user.Email, org.Id, new HashSet<string> { Roles.Analyst });
    }

    private async Task<string> ExportAsync(Actor actor, ExportRequest request)
    {
        using var output = new MemoryStream();
        var outcome = await node.Get<ExportIndicators>().HandleAsync(actor, request, output);
        outcome.Error.Should().BeNull();
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [DbFact]
    public async Task A_real_misp_event_imports_with_its_markings_and_exports_again_without_loss()
    {
        var analyst = await AnalystAsync();
        var original = MispEventReader.Read(await File.ReadAllBytesAsync(Corpus("existing_event.json"))).Value!.Single();

        await using (var file = File.OpenRead(Corpus("existing_event.json")))
        {
            var imported = await node.Get<ImportIndicators>().HandleAsync(analyst, file, new ImportRequest("misp"));
            imported.Error.Should().BeNull();
            imported.Value!.ReportIds.Should().ContainSingle();
            imported.Value.Recorded.Should().Be(original.Indicators.DistinctBy(i => (i.Type, i.Value)).Count());
            imported.Value.Skipped.Should().NotBeEmpty("the event's text attributes have no observable type and are listed");
        }

        var report = (await node.Get<Reports>().ListAsync(analyst, null, null)).Value!.Items.Single();
        report.Title.Should().Be(original.Title);
        report.Sharing.Tlp.Should().Be("TLP:CLEAR", "the event's tlp:white tag is TLP 2.0 CLEAR");
        report.ThreatActor.Should().Be(original.ThreatActor);

        await using (var again = File.OpenRead(Corpus("existing_event.json")))
        {
            var second = await node.Get<ImportIndicators>().HandleAsync(analyst, again, new ImportRequest("misp"));
            second.Value!.Recorded.Should().Be(0, "re-importing an event adds nothing it already holds");
            second.Value.ReportIds.Should().Equal(report.Id);
        }

        var exported = await ExportAsync(analyst, new ExportRequest("misp", ReportId: report.Id, IncludeInactive: true));
        var back = MispEventReader.Read(Encoding.UTF8.GetBytes(exported)).Value!.Single();
        back.Title.Should().Be(original.Title);
        back.Tlp.Should().Be("tlp:clear");
        back.Indicators.Select(i => (i.Type, i.Value)).Should().BeEquivalentTo(original.Indicators.Select(i => (i.Type, i.Value)).Distinct());
    }

    [DbFact]
    public async Task A_csv_import_keeps_good_rows_names_bad_ones_and_all_or_nothing_writes_nothing()
    {
        var analyst = await AnalystAsync();
        const string csv = "indicator,kind,note\n203.0.113.5,ipv4,scanner\n2001:db8::zz,ipv6,broken\nevil.ribat-test.org,domain,phishing\n";
        var mapping = new CsvColumnMapping { ValueColumn = "indicator", TypeColumn = "kind", CommentColumn = "note" };

        var strict = await node.Get<ImportIndicators>().HandleAsync(analyst, new MemoryStream(Encoding.UTF8.GetBytes(csv)), new ImportRequest("csv", Mapping: mapping, AllOrNothing: true));
        strict.Value!.Recorded.Should().Be(0);
        (await node.Get<ReadIndicators>().ListAsync(analyst, new IndicatorQuery(Mine: true))).Value!.Items.Should().BeEmpty("all or nothing wrote nothing");

        var lenient = await node.Get<ImportIndicators>().HandleAsync(analyst, new MemoryStream(Encoding.UTF8.GetBytes(csv)), new ImportRequest("csv", Mapping: mapping));
        lenient.Value!.Recorded.Should().Be(2);
        var issue = lenient.Value.Issues.Should().ContainSingle().Subject;
        issue.Line.Should().Be(3);
        issue.Reason.Should().Contain("IPv6");
        lenient.Value.Warnings.Single(w => w.Value == "203.0.113.5").Line.Should().Be(2, "a warning names the file's line, as an issue does, not the row's position");
        (await node.Get<ReadIndicators>().ListAsync(analyst, new IndicatorQuery(Type: "ipv4", Mine: true))).Value!.Items.Single().Comment.Should().Be("scanner");
    }

    [DbFact]
    public async Task Refused_input_answers_with_the_reason_and_writes_nothing()
    {
        var analyst = await AnalystAsync();
        var import = node.Get<ImportIndicators>();

        (await import.HandleAsync(analyst, new MemoryStream("{\"Event\": {\"info\": \"x\", \"Attribute\": ["u8.ToArray()), new ImportRequest("misp"))).Error!.Message.Should().Contain("MISP JSON");
        (await import.HandleAsync(analyst, new MemoryStream([0xff, 0x00, 0x13]), new ImportRequest("misp"))).Error.Should().NotBeNull();
        (await import.HandleAsync(analyst, new MemoryStream("a,b\n1,2\n"u8.ToArray()), new ImportRequest("csv"))).Error!.Message.Should().Contain("column mapping");
        (await import.HandleAsync(analyst, Stream.Null, new ImportRequest("stix"))).Error!.Message.Should().Contain("not an import format");
        var viewer = analyst with { Roles = new HashSet<string> { Roles.Viewer } };
        (await import.HandleAsync(viewer, new MemoryStream("198.51.100.1"u8.ToArray()), new ImportRequest("text"))).Error!.Kind.Should().Be(Core.Common.ErrorKind.Forbidden);

        (await node.Get<ReadIndicators>().ListAsync(analyst, new IndicatorQuery(Mine: true))).Value!.Items.Should().BeEmpty();
    }

    [DbFact]
    public async Task Block_lists_hold_only_what_the_viewer_may_see_and_what_is_fit_for_blocking()
    {
        var owner = await AnalystAsync();
        var partner = await AnalystAsync();
        var record = node.Get<RecordIndicators>();
        await record.HandleAsync(owner, new RecordIndicatorsRequest(
        [
            new IndicatorInput("domain", "shared-c2.ribat-test.net"),
            new IndicatorInput("ipv4", "45.137.21.77"),
            new IndicatorInput("domain", "context-only.ribat-test.net", ForDetection: false),
            new IndicatorInput("ipv4", "10.1.2.3"),
        ], new SharingTermsInput("green", Distribution: "community")));
        await record.HandleAsync(owner, new RecordIndicatorsRequest([new IndicatorInput("domain", "secret.ribat-test.net")], new SharingTermsInput("amber")));
        await record.HandleAsync(owner, new RecordIndicatorsRequest([new IndicatorInput("domain", "no-onward.ribat-test.net")], new SharingTermsInput("green", Distribution: "community", Handling: "H2")));

        var hosts = await ExportAsync(partner, new ExportRequest("hosts"));
        hosts.Should().Contain("shared-c2.ribat-test.net").And.Contain("no-onward.ribat-test.net")
            .And.NotContain("secret.ribat-test.net", "an AMBER organisation-only indicator never leaves its owner")
            .And.NotContain("context-only", "context is not for blocking");
        var rules = await ExportAsync(partner, new ExportRequest("suricata", RuleAction: "drop"));
        rules.Should().Contain("45.137.21.77").And.NotContain("10.1.2.3", "a private address is on a warning list and was not kept");
        rules.Should().Contain("drop ");

        var shareable = await ExportAsync(partner, new ExportRequest("plain", ShareableOnly: true));
        shareable.Should().Contain("shared-c2.ribat-test.net").And.NotContain("no-onward.ribat-test.net", "H2 forbids passing it on without permission");

        var ownView = await ExportAsync(owner, new ExportRequest("plain"));
        ownView.Should().Contain("secret.ribat-test.net");
    }

    [DbFact]
    public async Task Detection_rules_export_as_a_file_the_engine_loads_holding_only_what_the_viewer_may_see()
    {
        var owner = await AnalystAsync();
        var partner = await AnalystAsync();
        var shared = $"rule Shared_{Guid.NewGuid():N}\n{{\n  strings:\n    $a = \"dropper.exe\"\n  condition:\n    $a\n}}";
        var secret = $"rule Secret_{Guid.NewGuid():N}\n{{\n  strings:\n    $a = \"internal.exe\"\n  condition:\n    $a\n}}";
        var record = node.Get<RecordIndicators>();
        (await record.HandleAsync(owner, new RecordIndicatorsRequest([new IndicatorInput("yara", shared)], new SharingTermsInput("green", Distribution: "community")))).Value!.Recorded.Should().Be(1);
        (await record.HandleAsync(owner, new RecordIndicatorsRequest([new IndicatorInput("yara", secret)], new SharingTermsInput("amber")))).Value!.Recorded.Should().Be(1);

        var file = await ExportAsync(partner, new ExportRequest("rules", Type: "yara"));

        file.Should().Contain(shared).And.NotContain("Secret_");
        Forensics.Detection.DetectionRules.Validate(Forensics.Detection.DetectionRuleKind.Yara, file).IsValid.Should().BeTrue("the file loads as it is");
        (await node.Get<ExportIndicators>().HandleAsync(partner, new ExportRequest("rules"), Stream.Null)).Error!.Message.Should().Contain("kind of rule");
    }
}

public sealed class ImportExportTestsSqlite(SqliteFactory node) : ImportExportTests(node), IClassFixture<SqliteFactory>;

public sealed class ImportExportTestsPostgres(PostgresFactory node) : ImportExportTests(node), IClassFixture<PostgresFactory>;
