using System.Text;
using Ribat.Forensics.Finance;

namespace Ribat.Forensics.Tests.Finance;

/// <summary>Random and mutated exports: the reader answers with transfers and issues, never an exception or a hang.</summary>
public sealed class TransferReaderRandomTests
{
    private const string Valid = """
        date;from;to;amount;currency;txid
        2026-03-01;DE89 3704 0044 0532 0130 00;GB82WEST12345698765432;1.250,00;EUR;a
        2026-03-02;bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4;1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa;0,5;BTC;b
        1772323200;0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed;TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t;"12,5";USDT;c
        03.03.2026;"quoted; account";plain;-7;EUR;d
        """;

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20260301);
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[random.Next(0, 2000)];
            random.NextBytes(bytes);
            var import = TransferReader.Read(new MemoryStream(bytes), "random.csv", options: new MoneyReadOptions { MaxFieldLength = 256, MaxRecordLength = 1024 });
            (import.Succeeded || import.Issues.Count == 1).Should().BeTrue();
            MoneyFlowGraph.Build(import.Transfers).Transfers.Should().Be(import.Transfers.Count);
        }
    }

    [Fact]
    public void Mutated_exports_keep_only_rows_that_still_read_and_name_the_rest()
    {
        var original = TransferReader.Read(new StringReader(Valid), "valid.csv");
        original.Issues.Should().BeEmpty();
        original.Transfers.Should().HaveCount(4);

        var random = new Random(97);
        const string alphabet = ";,\"\n\r.-0123456789abcXYZ \t\u00e9\u0000";
        for (var i = 0; i < 2000; i++)
        {
            var text = new StringBuilder(Valid);
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text.Remove(at, 1); break;
                    case 1: text.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }

            if (random.Next(4) == 0)
            {
                text.Length = random.Next(text.Length);
            }

            var import = TransferReader.Read(new StringReader(text.ToString()), "mutated.csv");
            if (!import.Succeeded)
            {
                import.Issues.Should().ContainSingle();
                continue;
            }

            foreach (var t in import.Transfers)
            {
                t.Amount.Should().BeGreaterThanOrEqualTo(0);
                t.Currency.Should().NotBeNullOrWhiteSpace();
                t.From.Id.Should().NotBeNullOrWhiteSpace();
                t.To.Id.Should().NotBeNullOrWhiteSpace();
            }

            foreach (var issue in import.Issues)
            {
                issue.Reason.Should().NotContain("\n");
            }

            import.Transfers.Count.Should().BeLessThanOrEqualTo(6, "a mutation can split a row in two, never invent many");
            MoneyFlowGraph.Build(import.Transfers).Transfers.Should().Be(import.Transfers.Count);
        }
    }
}
