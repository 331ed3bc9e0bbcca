using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ribat.Core.Cases.Money;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Cases;

/// <summary>
/// Transaction exports of a case read into its money flows through the API: the mapping step, the import, its
/// idempotence, the graph's money edges, bad and hostile input, and the case's audience.
/// </summary>
public abstract class MoneyApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    internal const string Btc1 = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    internal const string Btc2 = SubjectApiTests<TFactory>.GenesisWallet;
    internal const string Eth = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    internal const string IbanDe = "DE89 3704 0044 0532 0130 00";
    internal const string IbanGb = "GB82WEST12345698765432";

    /// <summary>A bank and exchange statement mixing IBANs, wallets and an exchange's user id, with two rows that must be refused.</summary>
    internal static readonly string Export = string.Join("\n",
        "Booking Date;Sender;Recipient;Amount;Currency;Reference",
        $"01.03.2026;{IbanDe};{IbanGb};1.250,00;EUR;INV-1",
        $"02.03.2026;{IbanDe};{IbanGb};250,50;EUR;INV-2",
        $"03.03.2026;{IbanGb};exchange user 42;1.000,00;EUR;DEP-9",
        $"04.03.2026;exchange user 42;{Btc1};0,5;BTC;W-1",
        $"05.03.2026;{Btc1};{Btc2};0,25;BTC;aa11",
        $"06.03.2026;{Eth};{Btc2};3;ETH;bb22",
        $"07.03.2026;DE00 3704 0044 0532 0130 00;{IbanGb};10,00;EUR;FORGED",
        $"08.03.2026;{IbanDe};{IbanGb};ten;EUR;BAD-AMOUNT") + "\n";

    private static Guid IdOf(JsonNode node) => node["id"]!.GetValue<Guid>();

    private static string Money(Guid caseId, Guid evidenceId, string step) => $"/api/v1/cases/{caseId}/evidence/{evidenceId}/money/{step}";

    private async Task<(HttpClient Client, Guid CaseId, Guid EvidenceId)> ExportAsync(string csv, object? caseBody = null, string name = "statement.csv")
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, caseBody ?? new { title = RibatFactory.Unique("Investment fraud") }));
        var evidenceId = IdOf(await EvidenceApiTests<TFactory>.UploadAsync(client, caseId, Encoding.UTF8.GetBytes(csv), $"fileName={name}"));
        return (client, caseId, evidenceId);
    }

    [DbFact]
    public async Task An_export_is_mapped_previewed_imported_once_and_drawn_as_money_edges()
    {
        var a = await factory.CreateTenantAsync();
        var partner = await factory.CreateTenantAsync();
        var outsider = await factory.CreateTenantAsync();
        var client = factory.ClientWith(a.AnalystSecret);
        var caseId = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Investment fraud"), partners = new[] { partner.Organisation.Id } }));
        var evidenceId = IdOf(await EvidenceApiTests<TFactory>.UploadAsync(client, caseId, Encoding.UTF8.GetBytes(Export), "fileName=statement.csv"));
        var known = await SubjectApiTests<TFactory>.AddAsync(client, caseId, new { kind = "crypto-wallet", value = Btc2, name = "Mixer deposit", source = SubjectApiTests<TFactory>.Told });

        var preview = await (await client.PostAsJsonAsync(Money(caseId, evidenceId, "preview"), new { })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        preview["header"]!.AsArray().Select(h => h!.GetValue<string>()).Should().Equal("Booking Date", "Sender", "Recipient", "Amount", "Currency", "Reference");
        preview["guessed"]!["from"]!.GetValue<string>().Should().Be("Sender");
        preview["mapping"]!["date"]!.GetValue<string>().Should().Be("Booking Date");
        preview["sample"]!.AsArray().Should().HaveCount(5);
        preview["sample"]![0]!["line"]!.GetValue<int>().Should().Be(2);
        preview["sample"]![0]!["cells"]![1]!.GetValue<string>().Should().Be(IbanDe);
        preview["transfers"]!.GetValue<int>().Should().Be(6);
        preview["refused"]!.GetValue<int>().Should().Be(2);
        preview["accounts"]!.GetValue<int>().Should().Be(6);
        preview["flowCount"]!.GetValue<int>().Should().Be(5);
        preview["problem"].Should().BeNull();
        var issues = preview["issues"]!.AsArray();
        issues.Select(i => (i!["line"]!.GetValue<int>(), i["column"]!.GetValue<string>())).Should().Equal((8, "Sender"), (9, "Amount"));
        issues[0]!["file"]!.GetValue<string>().Should().Be("statement.csv");
        issues[0]!["reason"]!.GetValue<string>().Should().Contain("iban");
        var bank = preview["flows"]!.AsArray().Single(f => f!["count"]!.GetValue<int>() == 2)!;
        bank["from"]!["subjectKind"]!.GetValue<string>().Should().Be("bank-account");
        bank["totals"]![0]!["amount"]!.GetValue<decimal>().Should().Be(1500.50m);
        (await client.GetStringAsync($"/api/v1/cases/{caseId}/subjects")).Should().NotContain(IbanGb, "a preview stores nothing");

        var partnerClient = factory.ClientWith(partner.AnalystSecret);
        (await partnerClient.PostAsJsonAsync(Money(caseId, evidenceId, "preview"), new { })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await partnerClient.PostAsJsonAsync(Money(caseId, evidenceId, "import"), new { })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await factory.ClientWith(outsider.AnalystSecret).PostAsJsonAsync(Money(caseId, evidenceId, "import"), new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var imported = await (await client.PostAsJsonAsync(Money(caseId, evidenceId, "import"), new { })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        imported["transfers"]!.GetValue<int>().Should().Be(6);
        imported["refused"]!.GetValue<int>().Should().Be(2);
        imported["subjectsCreated"]!.GetValue<int>().Should().Be(5);
        imported["subjectsReused"]!.GetValue<int>().Should().Be(1, "the case already held the genesis wallet");
        imported["flows"]!.GetValue<int>().Should().Be(5);
        imported["flowsReplaced"]!.GetValue<int>().Should().Be(0);

        var subjects = (await (await client.GetAsync($"/api/v1/cases/{caseId}/subjects?limit=100")).ReadJsonAsync())["items"]!.AsArray();
        subjects.Should().HaveCount(6);
        Kind(subjects, "DE89370400440532013000").Should().Be("bank-account");
        Kind(subjects, Eth.ToLowerInvariant()).Should().Be("crypto-wallet");
        Kind(subjects, "exchangeuser42").Should().Be("online-account", "a plain account becomes an online account, its value without white space");
        subjects.Single(s => s!["value"]!.GetValue<string>() == "DE89370400440532013000")!["source"]!["id"]!.GetValue<Guid>().Should().Be(evidenceId);

        var graph = await GraphAsync(client, caseId);
        graph["moneyFlows"]!.GetValue<int>().Should().Be(5);
        var edges = graph["edges"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "money").ToList();
        edges.Should().HaveCount(5);
        var bankEdge = edges.Single(e => e!["money"]!["count"]!.GetValue<int>() == 2)!;
        bankEdge["money"]!["totals"]![0]!["amount"]!.GetValue<decimal>().Should().Be(1500.50m);
        bankEdge["money"]!["label"]!.GetValue<string>().Should().Be("1,500.5 EUR · 2×");
        bankEdge["money"]!["first"]!.GetValue<DateTimeOffset>().Should().Be(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        bankEdge["money"]!["last"]!.GetValue<DateTimeOffset>().Should().Be(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
        var mixer = graph["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<Guid>() == IdOf(known))!;
        mixer["label"]!.GetValue<string>().Should().Be("Mixer deposit");
        mixer["received"]!.AsArray().Select(t => (t!["currency"]!.GetValue<string>(), t["amount"]!.GetValue<decimal>())).Should().Equal(("BTC", 0.25m), ("ETH", 3m));
        mixer["sent"].Should().BeNull();
        var focused = await (await client.GetAsync($"/api/v1/cases/{caseId}/graph?focus={IdOf(known)}&depth=1")).ReadJsonAsync();
        focused["nodes"]!.AsArray().Should().HaveCount(3, "money edges are walked like relationships");

        var custody = (await (await client.GetAsync($"/api/v1/evidence/{evidenceId}/custody")).ReadJsonAsync())["items"]!.AsArray();
        custody.Last()!["action"]!.GetValue<string>().Should().Be("analyse");
        custody.Last()!["notes"]!.GetValue<string>().Should().Contain("6 transfer(s)");

        var again = await (await client.PostAsJsonAsync(Money(caseId, evidenceId, "import"), new { })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        again["subjectsCreated"]!.GetValue<int>().Should().Be(0);
        again["flowsReplaced"]!.GetValue<int>().Should().Be(5);
        var regraph = await GraphAsync(client, caseId);
        regraph["edges"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == bankEdge["id"]!.GetValue<string>())!["money"]!["totals"]![0]!["amount"]!.GetValue<decimal>()
            .Should().Be(1500.50m, "importing the same export again replaces its flows instead of adding to them");
        regraph["moneyFlows"]!.GetValue<int>().Should().Be(5);

        // A second export naming the same accounts adds its own amounts to the same edges.
        var second = IdOf(await EvidenceApiTests<TFactory>.UploadAsync(client, caseId,
            Encoding.UTF8.GetBytes($"from,to,amount,currency\n{IbanDe},{IbanGb},99.50,EUR\n"), "fileName=second.csv"));
        (await (await client.PostAsJsonAsync(Money(caseId, second, "import"), new { })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["subjectsReused"]!.GetValue<int>().Should().Be(2);
        var summed = (await GraphAsync(client, caseId))["edges"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == bankEdge["id"]!.GetValue<string>())!["money"]!;
        summed["totals"]![0]!["amount"]!.GetValue<decimal>().Should().Be(1600m);
        summed["exports"]!.GetValue<int>().Should().Be(2);

        (await CaseApiTests<TFactory>.MoveAsync(client, caseId, "closed", "referred")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.PostAsJsonAsync(Money(caseId, evidenceId, "import"), new { })).StatusCode.Should().Be(HttpStatusCode.Conflict, "a closed case takes no change");
    }

    private static string Kind(JsonArray subjects, string value) => subjects.Single(s => s!["value"]!.GetValue<string>() == value)!["kind"]!.GetValue<string>();

    private static async Task<JsonNode> GraphAsync(HttpClient client, Guid caseId) => await (await client.GetAsync($"/api/v1/cases/{caseId}/graph")).ReadJsonAsync();

    [DbFact]
    public async Task A_chosen_mapping_and_default_currency_read_columns_no_guess_finds()
    {
        var (client, caseId, evidenceId) = await ExportAsync($"Wallet A\tWallet B\tQty\n{Btc1}\t{Eth}\t2\n{Eth}\t{Btc1}\t1.5\n", name: "wallets.tsv");
        var guessed = await (await client.PostAsJsonAsync(Money(caseId, evidenceId, "preview"), new { })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        guessed["mapping"].Should().BeNull();
        guessed["problem"]!.GetValue<string>().Should().Contain("from");
        guessed["header"]!.AsArray().Should().HaveCount(3);
        (await client.PostAsJsonAsync(Money(caseId, evidenceId, "import"), new { })).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var mapping = new { from = "wallet a", to = "Wallet B", amount = "Qty" };
        var noCurrency = await (await client.PostAsJsonAsync(Money(caseId, evidenceId, "preview"), mapping)).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        noCurrency["transfers"]!.GetValue<int>().Should().Be(0);
        noCurrency["issues"]![0]!["reason"]!.GetValue<string>().Should().Contain("no currency");
        var refused = await (await client.PostAsJsonAsync(Money(caseId, evidenceId, "import"), mapping)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        refused["detail"]!.GetValue<string>().Should().Contain("No row could be read");
        (await client.GetStringAsync($"/api/v1/cases/{caseId}/subjects")).Should().NotContain(Btc1, "a refused import stores nothing");

        var imported = await (await client.PostAsJsonAsync(Money(caseId, evidenceId, "import"), new { from = "wallet a", to = "Wallet B", amount = "Qty", defaultCurrency = "usdt" }))
            .ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        imported["flows"]!.GetValue<int>().Should().Be(2);
        var edges = (await GraphAsync(client, caseId))["edges"]!.AsArray();
        edges.Select(e => e!["money"]!["totals"]![0]!["currency"]!.GetValue<string>()).Should().AllBe("USDT");
    }

    [DbFact]
    public async Task Hostile_mappings_are_refused_field_by_field()
    {
        var (client, caseId, evidenceId) = await ExportAsync(Export);
        async Task<JsonNode> Refused(object body) =>
            await (await client.PostAsJsonAsync(Money(caseId, evidenceId, "preview"), body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        (await Refused(new { from = "Nope" }))["errors"]!["from"]![0]!.GetValue<string>().Should().Contain("not in the export's header");
        (await Refused(new { from = new string('x', 5000) }))["errors"]!["from"]![0]!.GetValue<string>().Should().Contain("at most 200");
        (await Refused(new { to = "Sender\u0000" }))["errors"]!["to"].Should().NotBeNull();
        (await Refused(new { from = "Sender", to = "sender" }))["errors"]!["to"]![0]!.GetValue<string>().Should().Contain("one role");
        (await Refused(new { amount = "" }))["errors"]!["amount"]![0]!.GetValue<string>().Should().Contain("needed");
        (await Refused(new { defaultCurrency = "<script>" }))["errors"]!["defaultCurrency"].Should().NotBeNull();
        (await Refused(new { date = "Amount" }))["errors"]!["date"]![0]!.GetValue<string>().Should().Contain("one role");
        (await client.PostAsync(Money(caseId, evidenceId, "preview"), new StringContent("{\"from\": [1,2", Encoding.UTF8, "application/json")))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.PostAsJsonAsync(Money(caseId, Guid.NewGuid(), "preview"), new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var otherCase = IdOf(await CaseApiTests<TFactory>.OpenAsync(client, new { title = RibatFactory.Unique("Other") }));
        (await client.PostAsJsonAsync(Money(otherCase, evidenceId, "import"), new { })).StatusCode.Should().Be(HttpStatusCode.NotFound, "the item belongs to another case");

        // Dropping a guessed optional column is allowed: the rows then have no date.
        var undated = await (await client.PostAsJsonAsync(Money(caseId, evidenceId, "preview"), new { date = "" })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        undated["mapping"]!["date"].Should().BeNull();
        undated["flows"]![0]!["first"].Should().BeNull();
    }

    [DbFact]
    public async Task Malformed_truncated_and_oversized_exports_are_refused_with_their_reason()
    {
        var (client, caseId, empty) = await ExportAsync(string.Empty, name: "empty.csv");
        (await (await client.PostAsJsonAsync(Money(caseId, empty, "preview"), new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))["detail"]!.GetValue<string>()
            .Should().Contain("header");

        async Task<Guid> Upload(byte[] bytes, string name) => IdOf(await EvidenceApiTests<TFactory>.UploadAsync(client, caseId, bytes, $"fileName={name}"));

        var headerOnly = await Upload("from,to,amount\n"u8.ToArray(), "header.csv");
        (await (await client.PostAsJsonAsync(Money(caseId, headerOnly, "import"), new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))["detail"]!.GetValue<string>()
            .Should().Contain("no rows");

        var truncated = await Upload(Encoding.UTF8.GetBytes($"from,to,amount,currency\n{IbanDe},{IbanGb},5,EUR\n\"{IbanGb},{IbanDe},7"), "cut.csv");
        var cut = await (await client.PostAsJsonAsync(Money(caseId, truncated, "preview"), new { })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        cut["transfers"]!.GetValue<int>().Should().Be(1);
        cut["refused"]!.GetValue<int>().Should().Be(1, "a quoted field the file ends inside is refused");

        var binary = new byte[4096];
        new Random(7).NextBytes(binary);
        var noise = await Upload(binary, "noise.bin");
        var noisy = await client.PostAsJsonAsync(Money(caseId, noise, "import"), new { });
        noisy.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noisy.ReadJsonAsync())["title"].Should().NotBeNull("random bytes get a problem, not a stack trace");

        var wideField = await Upload(Encoding.UTF8.GetBytes($"from,to,amount,currency\n{new string('a', 10_000)},{IbanGb},5,EUR\n{IbanDe},{IbanGb},5,EUR\n"), "wide.csv");
        var wide = await (await client.PostAsJsonAsync(Money(caseId, wideField, "preview"), new { })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        wide["refused"]!.GetValue<int>().Should().Be(1);
        wide["sample"]![0]!["cells"]![0]!.GetValue<string>().Length.Should().BeLessThan(300, "sample cells are cut");

        var limits = factory.Services.GetRequiredService<IOptions<MoneyImportOptions>>().Value;
        var (accounts, rows, bytes) = (limits.MaxAccounts, limits.MaxRows, limits.MaxFileBytes);
        var many = await Upload(Encoding.UTF8.GetBytes(Export), "many.csv");
        try
        {
            limits.MaxAccounts = 3;
            var tooMany = await (await client.PostAsJsonAsync(Money(caseId, many, "preview"), new { })).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            tooMany["problem"]!.GetValue<string>().Should().Contain("at most 3");
            (await (await client.PostAsJsonAsync(Money(caseId, many, "import"), new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))["detail"]!.GetValue<string>()
                .Should().Contain("6 accounts");
            limits.MaxAccounts = accounts;
            limits.MaxRows = 3;
            (await (await client.PostAsJsonAsync(Money(caseId, many, "import"), new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))["detail"]!.GetValue<string>()
                .Should().Contain("more than 3 rows");
            limits.MaxRows = rows;
            limits.MaxFileBytes = 100;
            (await (await client.PostAsJsonAsync(Money(caseId, many, "import"), new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest))["detail"]!.GetValue<string>()
                .Should().Contain("at most 100 are read");
        }
        finally
        {
            (limits.MaxAccounts, limits.MaxRows, limits.MaxFileBytes) = (accounts, rows, bytes);
        }

        (await client.GetStringAsync($"/api/v1/cases/{caseId}/subjects")).Should().NotContain(IbanGb, "no refused import stored anything");
        var custody = (await (await client.GetAsync($"/api/v1/evidence/{many}/custody")).ReadJsonAsync())["items"]!.AsArray();
        custody.Select(e => e!["action"]!.GetValue<string>()).Should().NotContain("analyse");
    }
}

public sealed class MoneyApiTestsSqlite(SqliteFactory factory) : MoneyApiTests<SqliteFactory>(factory);

public sealed class MoneyApiTestsPostgres(PostgresFactory factory) : MoneyApiTests<PostgresFactory>(factory);
