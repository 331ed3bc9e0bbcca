using System.Text;
using Ribat.Forensics.Finance;

namespace Ribat.Forensics.Tests.Finance;

public sealed class TransferSampleTests
{
    private static MoneySample Sample(string csv, int rows = 2) => TransferReader.Sample(new MemoryStream(Encoding.UTF8.GetBytes(csv)), rows, maxCell: 10);

    [Fact]
    public void The_head_of_an_export_is_read_and_no_further()
    {
        var sample = Sample("Sender;Recipient;Amount\nDE89370400440532013000;GB82WEST12345698765432;5\nshort\n\"never read");

        sample.Problem.Should().BeNull();
        sample.Header.Should().Equal("Sender", "Recipient", "Amount");
        sample.Guessed!.FromColumn.Should().Be("Sender");
        sample.Rows.Select(r => r.Line).Should().Equal(2, 3);
        sample.Rows[0].Cells[0].Should().Be("DE89370400…", "cells are cut");
        sample.Rows[1].Cells.Should().Equal(["short", "", ""], "a short row is padded to the header");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"unterminated header")]
    public void A_file_without_a_readable_header_says_so(string csv) =>
        Sample(csv).Problem.Should().Contain("header");

    [Fact]
    public void Unrecognised_headers_name_the_missing_roles()
    {
        var sample = Sample("Wallet A,Wallet B,Qty\n1,2,3\n");

        sample.Guessed.Should().BeNull();
        sample.Missing.Should().Contain("from");
        sample.Rows.Should().ContainSingle();
    }

    [Fact]
    public void Refused_rows_and_the_row_limit_are_counted()
    {
        var import = TransferReader.Read(new StringReader("from,to,amount,currency\na,b,1,EUR\na,b,x,EUR\na\na,b,2,EUR\n"), "f.csv", null,
            new MoneyReadOptions { MaxRows = 3 });

        import.Kept.Should().Be(1);
        import.RefusedRows.Should().Be(2);
        import.RowLimitReached.Should().BeTrue();
    }
}
