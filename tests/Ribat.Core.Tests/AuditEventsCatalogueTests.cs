using System.Text.RegularExpressions;
using Ribat.Core.Audit;

namespace Ribat.Core.Tests;

public sealed partial class AuditEventsCatalogueTests
{
    private static readonly Dictionary<string, int> ModuleHundreds = new()
    {
        ["node"] = 100,
        ["tenancy"] = 200,
        ["access"] = 300,
        ["intel"] = 400,
        ["sharing"] = 400,
        ["cases"] = 500,
        ["evidence"] = 500,
        ["jobs"] = 500,
        ["incidents"] = 600,
        ["notifications"] = 600,
        ["readiness"] = 600,
        ["playbooks"] = 600,
        ["cooperation"] = 700,
        ["federation"] = 800,
        ["audit"] = 900,
        ["exercises"] = 1000,
    };

    [Fact]
    public void Codes_and_names_are_unique()
    {
        AuditEvents.All.Should().NotBeEmpty();
        AuditEvents.All.Select(e => e.Code).Should().OnlyHaveUniqueItems();
        AuditEvents.All.Select(e => e.Name).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Each_code_is_in_its_modules_hundred_and_each_name_starts_with_its_module()
    {
        foreach (var e in AuditEvents.All)
        {
            ModuleHundreds.Should().ContainKey(e.Module, $"{e.Code} {e.Name} names an unknown module");
            (e.Code / 100 * 100).Should().Be(ModuleHundreds[e.Module], $"{e.Code} {e.Name} belongs to module {e.Module}");
            e.Name.Should().StartWith(e.Module + ".");
            e.Name.Should().MatchRegex("^[a-z]+\\.[a-z-]+$");
            e.Description.Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void Find_returns_the_event_for_its_code()
    {
        AuditEvents.Find(AuditEvents.AuditLogRead.Code).Should().Be(AuditEvents.AuditLogRead);
        AuditEvents.Find(999).Should().BeNull();
    }

    [Fact]
    public void Docs_list_exactly_the_catalogue()
    {
        var path = Path.Combine(SharedCorpus.RepositoryRoot(), "docs", "audit-events.md");
        var documented = new List<(int Code, string Name, string Module, bool IsRead)>();
        foreach (var line in File.ReadLines(path))
        {
            var match = TableRow().Match(line);
            if (match.Success)
            {
                documented.Add((int.Parse(match.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture),
                    match.Groups["name"].Value, match.Groups["module"].Value.Trim(), match.Groups["read"].Value.Trim() == "yes"));
            }
        }

        var catalogue = AuditEvents.All.Select(e => (e.Code, e.Name, e.Module, e.IsRead)).ToList();
        documented.Should().NotBeEmpty("docs/audit-events.md should hold the catalogue as a table");
        documented.Should().BeEquivalentTo(catalogue, o => o.WithStrictOrdering(),
            "docs/audit-events.md must list every event of AuditEvents with the same code, name, module and read flag, in code order");
    }

    /// <summary>| 100 | `node.initialised` | node | | description |</summary>
    [GeneratedRegex(@"^\|\s*(?<code>\d+)\s*\|\s*`(?<name>[^`]+)`\s*\|(?<module>[^|]*)\|(?<read>[^|]*)\|")]
    private static partial Regex TableRow();
}
