using Ribat.Forensics.Exchange;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Tests.Exchange;

/// <summary>The real PyMISP test events; counts and values checked against the files with jq.</summary>
public class MispEventReaderCorpusTests
{
    private static ImportResult<IReadOnlyList<ExchangeReport>> Read(string file)
    {
        using var stream = new MemoryStream(ExchangeCorpus.Bytes(file));
        return MispEventReader.Read(stream);
    }

    public static TheoryData<string> Files() => [.. ExchangeCorpus.EventFiles()];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_corpus_event_imports_without_issues(string file)
    {
        var result = Read(file);

        result.Succeeded.Should().BeTrue();
        result.Issues.Should().BeEmpty();
        result.Value.Should().ContainSingle().Which.Indicators.Should().NotBeEmpty();
    }

    [Fact]
    public void The_146_KB_real_event_keeps_every_indicator_and_names_what_it_left()
    {
        var result = Read("existing_event.json");
        var report = result.Value!.Single();

        report.Title.Should().Be("OSINT - Sednit update: How Fancy Bear Spent the Year");
        report.Date.Should().Be(new DateOnly(2017, 12, 21));
        report.SourceId.Should().Be("5a3c2fcd-8328-42bb-a95e-4f4402de0b81");
        report.Organisation.Should().Be("CIRCL");
        report.ThreatLevel.Should().Be(3);
        report.Analysis.Should().Be(0);
        report.Tlp.Should().Be("tlp:white");
        report.Pap.Should().BeNull();
        report.Tags.Should().HaveCount(17).And.NotContain("tlp:white").And.Contain("workflow:state=\"incomplete\"");
        report.ThreatActor.Should().Be("Sofacy");
        report.MalwareFamily.Should().Be("JHUHUGIT", "the first mitre-malware cluster; 'tool' clusters rank below it");

        // 9 attributes (1 link, 1 text, 7 domains) and 49 objects holding 12 domains, 15 file names, 12 ip-dst,
        // 37 sha1 and 37 text: every value but the 38 texts becomes an indicator.
        report.Indicators.Should().HaveCount(84);
        report.Indicators.GroupBy(i => i.Type).ToDictionary(g => g.Key, g => g.Count()).Should().BeEquivalentTo(
            new Dictionary<ObservableType, int>
            {
                [ObservableType.Url] = 1,
                [ObservableType.Domain] = 19,
                [ObservableType.FileName] = 15,
                [ObservableType.Sha1] = 37,
                [ObservableType.IPv4] = 12,
            });
        result.Skipped.Should().HaveCount(38).And.OnlyContain(s => s.Reason == "MISP type 'text' has no Ribat observable type.");
        result.Skipped[0].Should().Be(new ImportIssue(37, "Attribute[1]", "MISP type 'text' has no Ribat observable type."));
    }

    [Fact]
    public void Attribute_fields_and_object_membership_are_kept()
    {
        var report = Read("existing_event.json").Value!.Single();

        var link = report.Indicators[0];
        link.Type.Should().Be(ObservableType.Url);
        link.Value.Should().Be("https://www.welivesecurity.com/2017/12/21/sednit-update-fancy-bear-spent-year/");
        link.ForDetection.Should().BeFalse();
        link.Category.Should().Be("External analysis");
        link.Tags.Should().Equal("osint:source-type=\"blog-post\"", "osint:certainty=\"93\"");

        var domain = report.Indicators.Single(i => i.Value == "movieultimate.com");
        domain.Comment.Should().Be("Xagent Samples");
        domain.ForDetection.Should().BeTrue();
        domain.SourceId.Should().Be("5a3c3045-ab0c-4d38-8efe-459002de0b81");
        domain.ObjectName.Should().BeNull();

        var sha1 = report.Indicators.Single(i => i.Value == "68064fc152e23d56e541714af52651cb4ba81aaf");
        sha1.ObjectName.Should().Be("file");
        sha1.ObjectRelation.Should().Be("sha1");
        sha1.ObjectId.Should().Be("5a3cd5b6-9568-4342-b2ab-4c62950d210f");
        sha1.Comment.Should().Be("Win32/Sednit.AX", "the attribute's comment is empty, so the object's applies");

        var ip = report.Indicators.Single(i => i.Value == "89.33.246.117");
        ip.ObjectName.Should().Be("domain-ip");
        ip.ObjectRelation.Should().Be("ip");
        ip.SourceId.Should().Be("5a3ce61a-4458-4c36-866e-44e9950d210f");
    }

    [Fact]
    public void A_search_response_with_a_malware_sample_gives_its_file_name_and_md5()
    {
        var result = Read("malware_exist.json");
        var report = result.Value!.Single();

        report.Title.Should().Be("Test existing malware PyMISP");
        report.ThreatLevel.Should().Be(1);
        report.Indicators.Select(i => (i.Type, i.Value)).Should().Equal(
            (ObservableType.FileName, "simple.json"),
            (ObservableType.Md5, "7637beddacbeac59d44469b2b120b9e6"),
            (ObservableType.FileName, "simple.json"),
            (ObservableType.Md5, "7637beddacbeac59d44469b2b120b9e6"),
            (ObservableType.Sha1, "023853a4331db8d67e44553004cf338ec1b7440e"),
            (ObservableType.Sha256, "6ae8b0f1c7d6f3238d1fc14038018c3b4704c8cc23dac1c2bfd2c81b5a278eef"));
        report.Indicators[0].SourceId.Should().Be("5a4e4fff-407c-40ff-9de5-43dc950d210f").And.Be(report.Indicators[1].SourceId);
        result.Skipped.Should().ContainSingle().Which.Should().Be(
            new ImportIssue(142, "response[0].Object[0].Attribute[5]", "MISP type 'size-in-bytes' has no Ribat observable type."));
    }

    [Fact]
    public void A_bare_event_with_only_objects_imports_with_their_tags()
    {
        var report = Read("event_obj_attr_tag.json").Value!.Single();

        report.Title.Should().BeEmpty();
        report.Indicators.Should().HaveCount(2);
        report.Indicators[0].Should().Match<ExchangeIndicator>(i =>
            i.Type == ObservableType.FileName && i.Value == "bar" && i.ObjectId == "a" && i.Tags.Single() == "blah");
        report.Indicators[1].Value.Should().Be("https://www.circl.lu/", "canonical URLs write an empty path as '/'");
    }

    [Fact]
    public void Proposals_are_not_imported_as_indicators()
    {
        var report = Read("shadow.json").Value!.Single();

        report.Indicators.Select(i => i.Value).Should().Equal("blah.exe", "baz.png");
    }
}
