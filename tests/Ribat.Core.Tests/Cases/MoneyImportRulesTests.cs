using Ribat.Core.Cases.Money;
using Ribat.Core.Cases.Subjects;
using Ribat.Forensics.Finance;

namespace Ribat.Core.Tests.Cases;

/// <summary>What an account of an export becomes in a case, and how flow totals are kept, summed and labelled.</summary>
public sealed class MoneyImportRulesTests
{
    [Theory]
    [InlineData("iban", "DE89370400440532013000", SubjectKind.BankAccount, "iban", "DE89370400440532013000")]
    [InlineData("btc-address", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", SubjectKind.CryptoWallet, "btc-address", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")]
    [InlineData("eth-address", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", SubjectKind.CryptoWallet, "eth-address", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")]
    [InlineData("account", "exchange user 42", SubjectKind.OnlineAccount, "user-account", "exchangeuser42")]
    [InlineData("account", "12 3456 78", SubjectKind.OnlineAccount, "user-account", "12345678")]
    public void An_account_becomes_the_subject_its_text_validates_as(string kind, string id, SubjectKind subject, string valueType, string value)
    {
        var (became, canonical) = MoneyExport.SubjectOf(new MoneyParty(kind, id, id));

        became.Should().Be(subject);
        canonical!.Type.Should().Be(valueType);
        canonical.Value.Should().Be(value);
        canonical.Display.Should().Be(kind == "account" ? id : canonical.Display, "a plain account is shown as written");
    }

    [Fact]
    public void Two_spellings_of_a_plain_account_are_one_subject()
    {
        var (_, a) = MoneyExport.SubjectOf(new MoneyParty("account", "12 3456 78", "12 3456 78"));
        var (_, b) = MoneyExport.SubjectOf(new MoneyParty("account", "12345678", "12345678"));

        a!.ValueKey.Should().Be(b!.ValueKey);
    }

    [Fact]
    public void Totals_survive_storage_exactly_and_add_up_per_currency()
    {
        var stored = MoneyTotals.Write([new CurrencyTotal("BTC", 0.000000010000000001m, 1), new CurrencyTotal("EUR", 1250.50m, 2)]);
        var read = MoneyTotals.Read(stored);
        read.Should().Equal(new MoneyTotalDto("BTC", 0.000000010000000001m, 1), new MoneyTotalDto("EUR", 1250.50m, 2));

        var summed = MoneyTotals.Sum(read.Concat([new MoneyTotalDto("EUR", 0.5m, 1), new MoneyTotalDto("ETH", 3m, 1)]));
        summed.Should().Equal(new MoneyTotalDto("BTC", 0.000000010000000001m, 1), new MoneyTotalDto("ETH", 3m, 1), new MoneyTotalDto("EUR", 1251m, 3));
        MoneyTotals.Label(summed, 5).Should().Be("0.000000010000000001 BTC + 3 ETH + 1,251 EUR · 5×");
    }
}
