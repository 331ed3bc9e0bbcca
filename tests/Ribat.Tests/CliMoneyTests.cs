using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary><c>ribat analyze money</c> as a subprocess on exports written here; it needs no data directory.</summary>
public sealed class CliMoneyTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ribat-money-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Bank() => Write("bank.csv", """
        Booking Date;Sender IBAN;Beneficiary IBAN;Amount;Currency
        01.03.2026;DE89 3704 0044 0532 0130 00;GB82WEST12345698765432;1.250,00;EUR
        02.03.2026;DE89370400440532013000;GB82WEST12345698765432;oops;EUR
        """);

    private string Chain() => Write("chain.csv", """
        hash,from,to,value,timestamp
        aa,GB82WEST12345698765432,bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4,0.5,1772323200
        """);

    [Fact]
    public async Task Json_merges_the_files_into_one_graph_and_lists_refused_rows()
    {
        var result = await RibatProcess.RunAsync("analyze", "money", Bank(), Chain(), "--format", "json", "--currency", "BTC");

        result.ExitCode.Should().Be(0, result.ToString());
        var root = JsonNode.Parse(result.Stdout)!;
        foreach (var field in new[] { "files", "transfers", "accounts", "flows", "issues" })
        {
            root.AsObject().ContainsKey(field).Should().BeTrue(field);
        }

        root["transfers"]!.GetValue<int>().Should().Be(2);
        root["accounts"]!.AsArray().Select(a => a!["kind"]!.GetValue<string>()).Should().BeEquivalentTo(["iban", "iban", "btc-address"]);
        var mule = root["accounts"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "GB82WEST12345698765432")!;
        mule["received"]![0]!["amount"]!.GetValue<decimal>().Should().Be(1250);
        mule["sent"]![0]!["currency"]!.GetValue<string>().Should().Be("BTC");
        var issue = root["issues"]!.AsArray().Single()!;
        issue["line"]!.GetValue<int>().Should().Be(3);
        issue["column"]!.GetValue<string>().Should().Be("Amount");
    }

    [Fact]
    public async Task Table_and_dot_print_the_flows_and_name_refused_rows_on_stderr()
    {
        var bank = Bank();
        var table = await RibatProcess.RunAsync("analyze", "money", bank);
        table.ExitCode.Should().Be(0, table.ToString());
        table.Stdout.Should().Contain("1 transfers from 1 file: 2 accounts, 1 flows, 1 rows refused.");
        table.Stdout.Should().Contain("DE89 3704 0044 0532 0130 00").And.Contain("1250").And.Contain("EUR");
        table.Stderr.Should().Contain($"{bank}:3, Amount: 'oops' is not an amount.");

        var dot = await RibatProcess.RunAsync("analyze", "money", bank, "--format", "dot");
        dot.ExitCode.Should().Be(0, dot.ToString());
        dot.Stdout.Should().StartWith("digraph money_flow {").And.Contain("\"iban:DE89370400440532013000\" -> \"iban:GB82WEST12345698765432\"");
    }

    [Fact]
    public async Task An_explicit_mapping_reads_columns_the_guess_cannot()
    {
        var path = Write("odd.csv", "Wallet A,Wallet B,Qty,Coin\nexchange-7,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,3,eth\n");

        var guessed = await RibatProcess.RunAsync("analyze", "money", path);
        guessed.ExitCode.Should().Be(2);
        guessed.Stderr.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("no column is recognised for from, to, amount");

        var mapped = await RibatProcess.RunAsync("analyze", "money", path, "--map", "from=Wallet A,to=Wallet B,amount=Qty,currency=Coin", "--format", "json");
        mapped.ExitCode.Should().Be(0, mapped.ToString());
        JsonNode.Parse(mapped.Stdout)!["flows"]![0]!["to_kind"]!.GetValue<string>().Should().Be("eth-address");
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("--map")]
    [InlineData("--format")]
    [InlineData("nothing-readable")]
    public async Task Bad_input_is_one_line_and_exit_code_2(string problem)
    {
        var args = problem switch
        {
            "missing" => new[] { "analyze", "money", Path.Combine(_scratch, "nope.csv") },
            "--map" => ["analyze", "money", Bank(), "--map", "from=a,to=b"],
            "--format" => ["analyze", "money", Bank(), "--format", "xml"],
            _ => ["analyze", "money", Write("bad.csv", "from,to,amount,currency\na,b,x,EUR\n")],
        };

        var result = await RibatProcess.RunAsync(args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stdout.Should().BeEmpty();
        result.Stderr.Trim().Split('\n').Last().Should().StartWith("ribat: ");
    }
}
