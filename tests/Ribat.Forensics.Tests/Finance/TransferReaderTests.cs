using System.Text;
using Ribat.Forensics.Finance;

namespace Ribat.Forensics.Tests.Finance;

public sealed class TransferReaderTests
{
    private const string Btc1 = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    private const string Btc2 = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";

    private static MoneyImport Read(string csv, MoneyColumnMapping? mapping = null, MoneyReadOptions? options = null) =>
        TransferReader.Read(new StringReader(csv), "export.csv", mapping, options);

    [Fact]
    public void A_bank_statement_is_mapped_from_its_header_names_with_decimal_commas_and_day_first_dates()
    {
        var import = Read("""
            Booking Date;Sender IBAN;Beneficiary IBAN;Amount;Currency;Reference
            01.03.2026;DE89 3704 0044 0532 0130 00;GB82WEST12345698765432;1.250,00;eur;INV-1
            02.03.2026;DE89370400440532013000;GB82WEST12345698765432;-100,50;EUR;REFUND-7
            """);

        import.Succeeded.Should().BeTrue();
        import.Issues.Should().BeEmpty();
        import.Mapping!.Columns().Should().Equal(
            ("from", "Sender IBAN"), ("to", "Beneficiary IBAN"), ("amount", "Amount"), ("currency", "Currency"), ("date", "Booking Date"), ("txid", "Reference"));
        var first = import.Transfers[0];
        first.From.Should().Be(new MoneyParty("iban", "DE89370400440532013000", "DE89 3704 0044 0532 0130 00"));
        first.To.Id.Should().Be("GB82WEST12345698765432");
        first.Amount.Should().Be(1250.00m);
        first.Currency.Should().Be("EUR");
        first.Date.Should().Be(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        first.TransactionId.Should().Be("INV-1");
        first.Line.Should().Be(2);

        var refund = import.Transfers[1];
        refund.From.Id.Should().Be("GB82WEST12345698765432", "a negative amount is money going the other way");
        refund.To.Id.Should().Be("DE89370400440532013000");
        refund.Amount.Should().Be(100.50m);
    }

    [Fact]
    public void A_block_explorer_export_takes_the_chain_coin_and_unix_times()
    {
        var import = Read($"""
            Tx Hash,From,To,Value,UnixTimestamp
            aa11,{Btc1},{Btc2},0.5,1772323200
            aa12,{Btc2},{Btc1},0.25,1772323200123
            """);

        import.Issues.Should().BeEmpty();
        import.Transfers.Select(t => (t.Currency, t.Amount, t.TransactionId)).Should().Equal(("BTC", 0.5m, "aa11"), ("BTC", 0.25m, "aa12"));
        import.Transfers[0].Date.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1772323200));
        import.Transfers[1].Date.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1772323200123));
    }

    [Fact]
    public void An_explicit_mapping_reads_columns_no_guess_would_find_and_a_currency_for_the_file()
    {
        MoneyColumnMapping.TryParse("from=Wallet A, to = Wallet B,amount=Qty", null, out var mapping, out var reason).Should().BeTrue(reason);
        var import = Read("Wallet A,Wallet B,Qty\nalice-exchange-id,0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,12.345\n",
            mapping, new MoneyReadOptions { Currency = "usdt" });

        import.Issues.Should().BeEmpty();
        var transfer = import.Transfers.Should().ContainSingle().Subject;
        transfer.From.Should().Be(new MoneyParty("account", "alice-exchange-id", "alice-exchange-id"));
        transfer.To.Should().Be(new MoneyParty("eth-address", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        transfer.Amount.Should().Be(12.345m);
        transfer.Currency.Should().Be("USDT");
    }

    [Fact]
    public void Bad_rows_are_named_by_line_and_column_and_left_out_while_good_rows_are_kept()
    {
        var import = Read($"""
            from,to,amount,currency,date
            {Btc1},{Btc2},1,BTC,2026-03-01
            {Btc1},{Btc2},lots,BTC,2026-03-01
            {Btc1},1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb,1,BTC,2026-03-01
            {Btc1},{Btc2},1,BTC,01/02/2026
            ,{Btc2},1,BTC,2026-03-01
            {Btc1},{Btc2},"1,234",BTC,2026-03-01
            acct-1,acct-2,5,,2026-03-01
            acct-1,acct-2,5,E U R,2026-03-01
            {Btc1},{Btc2}
            {Btc2},{Btc1},2,BTC,2026-03-02
            """);

        import.Transfers.Select(t => t.Line).Should().Equal(2, 11);
        import.Issues.Select(i => (i.Line, i.Column)).Should().Equal(
            (3, "amount"), (4, "to"), (5, "date"), (6, "from"), (7, "amount"), (8, "currency"), (9, "currency"), (10, "amount"));
        import.Issues.Should().AllSatisfy(i => i.File.Should().Be("export.csv"));
        import.Issues[0].Reason.Should().Contain("'lots' is not an amount");
        import.Issues[1].Reason.Should().Contain("looks like btc-address").And.Contain("checksum does not match");
        import.Issues[2].Reason.Should().Contain("not a date");
        import.Issues[3].Reason.Should().Contain("empty");
        import.Issues[4].Reason.Should().Contain("ambiguous");
        import.Issues[5].Reason.Should().Contain("no currency");
        import.Issues[7].Reason.Should().Contain("2 fields");
    }

    [Theory]
    [InlineData("1234.5", 1234.5)]
    [InlineData("1,234.50", 1234.50)]
    [InlineData("1.234,50", 1234.50)]
    [InlineData("1 234,5", 1234.5)]
    [InlineData("1'234'567.89", 1234567.89)]
    [InlineData("1,234,567", 1234567)]
    [InlineData("0,5", 0.5)]
    [InlineData("12.345", 12.345)]
    [InlineData("0.00012345 BTC", 0.00012345)]
    [InlineData("EUR 10", 10)]
    [InlineData("+7", 7)]
    public void Amounts_are_read_as_exports_write_them(string text, double expected)
    {
        var import = Read($"from,to,amount,currency\na,b,\"{text}\",EUR\n");
        import.Issues.Should().BeEmpty();
        import.Transfers.Single().Amount.Should().Be((decimal)expected);
    }

    [Theory]
    [InlineData("1,234", "ambiguous")]
    [InlineData("1.2.3,4,5", "not an amount")]
    [InlineData("12e5", "does not belong")]
    [InlineData("100000000000000000000", "larger than any real transfer")]
    [InlineData("", "empty")]
    [InlineData("-", "empty")]
    public void Amounts_that_cannot_be_read_safely_are_refused(string text, string reason)
    {
        var import = Read($"from,to,amount,currency\na,b,\"{text}\",EUR\n");
        import.Transfers.Should().BeEmpty();
        import.Issues.Single().Reason.Should().Contain(reason);
    }

    [Fact]
    public void The_currency_written_with_the_amount_is_used_when_there_is_no_column()
    {
        var import = Read("from,to,amount\nacct-1,acct-2,0.7 eth\n");
        import.Transfers.Single().Currency.Should().Be("ETH");
    }

    [Fact]
    public void A_header_no_column_of_which_is_recognised_stops_the_file_with_one_reason()
    {
        var import = Read("alpha,beta,gamma\n1,2,3\n");

        import.Succeeded.Should().BeFalse();
        import.Issues.Single().Reason.Should().Contain("no column is recognised for from, to, amount").And.Contain("--map").And.Contain("alpha, beta, gamma");
    }

    [Fact]
    public void A_mapped_column_missing_from_the_header_stops_the_file()
    {
        MoneyColumnMapping.TryParse("from=payer,to=payee,amount=sum,date=when", null, out var mapping, out _).Should().BeTrue();
        var import = Read("payer,payee,sum\na,b,1\n", mapping);

        import.Succeeded.Should().BeFalse();
        import.Issues.Single().Reason.Should().Contain("the date column 'when' is not in the header");
    }

    [Theory]
    [InlineData("from=a,to=b", "no column is given or recognised for amount")]
    [InlineData("from=a,to=b,amount=c,colour=d", "'colour' is not a role")]
    [InlineData("from=a,from=b,to=c,amount=d", "given twice")]
    [InlineData("from", "not ROLE=COLUMN")]
    [InlineData("from=,to=b,amount=c", "not ROLE=COLUMN")]
    public void A_bad_mapping_is_refused_with_the_reason(string text, string reason)
    {
        MoneyColumnMapping.TryParse(text, null, out var mapping, out var why).Should().BeFalse();
        mapping.Should().BeNull();
        why.Should().Contain(reason);
    }

    [Fact]
    public void Empty_input_and_a_bad_fixed_currency_are_whole_file_failures()
    {
        Read(string.Empty).Issues.Single().Reason.Should().Contain("empty");
        Read("from,to,amount\na,b,1\n", options: new MoneyReadOptions { Currency = "not a code" }).Succeeded.Should().BeFalse();
    }

    [Fact]
    public void Truncated_and_oversized_input_is_reported_not_held()
    {
        var truncated = Read("from,to,amount,currency\na,b,1,EUR\na,\"b,2,EUR\n");
        truncated.Transfers.Should().ContainSingle();
        truncated.Issues.Single().Reason.Should().Contain("never closed");

        var huge = new string('x', 10_000);
        var oversized = Read($"from,to,amount,currency\n{huge},b,1,EUR\na,b,2,EUR\n", options: new MoneyReadOptions { MaxFieldLength = 1000 });
        oversized.Transfers.Single().Amount.Should().Be(2);
        oversized.Issues.Single().Reason.Should().Contain("longer than 1000");
    }

    [Fact]
    public void Row_and_issue_limits_stop_reading_and_say_so()
    {
        var rows = new StringBuilder("from,to,amount,currency\n");
        for (var i = 0; i < 50; i++)
        {
            rows.Append("a,b,").Append(i % 2 == 0 ? "1" : "x").Append(",EUR\n");
        }

        var import = Read(rows.ToString(), options: new MoneyReadOptions { MaxRows = 20, MaxIssues = 5 });

        import.Transfers.Should().HaveCount(10);
        import.Issues.Should().HaveCount(6);
        import.Issues[^1].Reason.Should().Contain("more refused rows not listed");
    }
}
