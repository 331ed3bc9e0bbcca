using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ribat.Forensics.Finance;

namespace Ribat.Forensics.Tests.Finance;

public sealed class MoneyFlowGraphTests
{
    private const string Csv = """
        from,to,amount,currency,date,txid
        victim-1,DE89370400440532013000,1000,EUR,2026-03-01T09:00:00Z,t1
        victim-2,DE89370400440532013000,500,EUR,2026-03-02T09:00:00Z,t2
        DE89370400440532013000,mule-exchange,1400,EUR,2026-03-03T09:00:00Z,t3
        mule-exchange,bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4,0.02,BTC,2026-03-04T09:00:00Z,t4
        mule-exchange,bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4,0.01,BTC,2026-03-05T09:00:00Z,t5
        mule-exchange,bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4,50,EUR,2026-03-06T09:00:00Z,t6
        victim-1,DE89370400440532013000,200,EUR,,t7
        """;

    private static MoneyFlowGraph Graph(string csv) =>
        MoneyFlowGraph.Build(TransferReader.Read(new StringReader(csv), "flow.csv").Transfers);

    [Fact]
    public void Flows_total_per_currency_with_counts_and_first_and_last_dates()
    {
        var graph = Graph(Csv);

        graph.Transfers.Should().Be(7);
        graph.Nodes.Should().HaveCount(5);
        graph.Flows.Should().HaveCount(4);

        var intoMule = graph.Flows.Single(f => f.From.Id == "victim-1");
        intoMule.To.Kind.Should().Be("iban");
        intoMule.Count.Should().Be(2);
        intoMule.Totals.Should().Equal(new CurrencyTotal("EUR", 1200, 2));
        intoMule.First.Should().Be(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), "a row without a date does not move the range");
        intoMule.Last.Should().Be(intoMule.First);

        var toWallet = graph.Flows.Single(f => f.To.Kind == "btc-address");
        toWallet.Totals.Should().Equal(new CurrencyTotal("BTC", 0.03m, 2), new CurrencyTotal("EUR", 50, 1));
        toWallet.Count.Should().Be(3);
        toWallet.First.Should().Be(new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.Zero));
        toWallet.Last.Should().Be(new DateTimeOffset(2026, 3, 6, 9, 0, 0, TimeSpan.Zero));

        var iban = graph.Nodes.Single(n => n.Party.Kind == "iban");
        iban.Received.Should().Equal(new CurrencyTotal("EUR", 1700, 3));
        iban.Sent.Should().Equal(new CurrencyTotal("EUR", 1400, 1));
        iban.Transfers.Should().Be(4);
        graph.Nodes.Single(n => n.Party.Id == "victim-2").Received.Should().BeEmpty();
    }

    [Fact]
    public void The_same_transfers_in_any_order_give_the_same_json()
    {
        var lines = Csv.Split('\n');
        var shuffled = string.Join('\n', new[] { lines[0] }.Concat(lines.Skip(1).Reverse()));

        Json(Graph(shuffled)).Should().Be(Json(Graph(Csv)));
    }

    [Fact]
    public void Reading_with_a_callback_keeps_no_rows_and_gives_the_same_graph()
    {
        var builder = new MoneyFlowBuilder();
        var import = TransferReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), "flow.csv", null, null, builder.Add);

        import.Transfers.Should().BeEmpty();
        import.Kept.Should().Be(7);
        import.Rows.Should().Be(7);
        Json(builder.Build()).Should().Be(Json(Graph(Csv)));
    }

    [Fact]
    public void Json_has_the_documented_fields()
    {
        var root = JsonNode.Parse(Json(Graph(Csv)))!;

        root["files"]!.AsArray().Select(f => f!.GetValue<string>()).Should().Equal("flow.csv");
        root["transfers"]!.GetValue<int>().Should().Be(7);
        var account = root["accounts"]!.AsArray().Single(a => a!["kind"]!.GetValue<string>() == "iban")!;
        account["id"]!.GetValue<string>().Should().Be("DE89370400440532013000");
        account["display"]!.GetValue<string>().Should().Be("DE89 3704 0044 0532 0130 00");
        account["received"]![0]!["amount"]!.GetValue<decimal>().Should().Be(1700);
        var flow = root["flows"]!.AsArray().Single(f => f!["to_kind"]!.GetValue<string>() == "btc-address")!;
        flow["from"]!.GetValue<string>().Should().Be("mule-exchange");
        flow["from_kind"]!.GetValue<string>().Should().Be("account");
        flow["count"]!.GetValue<int>().Should().Be(3);
        flow["first"]!.GetValue<string>().Should().Be("2026-03-04T09:00:00Z");
        flow["totals"]![0]!["currency"]!.GetValue<string>().Should().Be("BTC");
        flow["totals"]![0]!["amount"]!.GetValue<decimal>().Should().Be(0.03m);
        root["issues"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public void Dot_quotes_every_account_so_hostile_text_cannot_change_the_graph()
    {
        var graph = Graph("from,to,amount,currency\n\"evil\"\" -> \"\"x\",\"back\\slash\",1,EUR\n");
        var output = new StringWriter();

        MoneyFlowDot.Write(output, graph);

        var dot = output.ToString();
        dot.Should().Contain("\"account:evil\\\" -> \\\"x\" -> \"account:back\\\\slash\"");
        dot.TrimEnd().Split('\n').Should().HaveCount(7, "three header lines, two nodes, one edge and the closing brace");
    }

    private static string Json(MoneyFlowGraph graph)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            MoneyFlowJson.Write(json, graph, ["flow.csv"], []);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
