namespace Ribat.Core.Cases.Money;

/// <summary>How large a transaction export the server reads into a case's money flows.</summary>
public sealed class MoneyImportOptions
{
    public const string Section = "Ribat:Money";

    /// <summary>The largest export read, in bytes; its hashes are re-checked before every read.</summary>
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    public int MaxRows { get; set; } = 200_000;

    /// <summary>The most accounts and wallets one export may hold: each becomes a subject of the case.</summary>
    public int MaxAccounts { get; set; } = 5_000;

    public int MaxFlows { get; set; } = 20_000;

    /// <summary>The most currencies one payer→payee flow may carry.</summary>
    public int MaxCurrenciesPerFlow { get; set; } = 50;

    /// <summary>Rows shown as written in the mapping step.</summary>
    public int SampleRows { get; set; } = 5;

    /// <summary>Flows and refused rows listed in an answer; the counts always cover all of them.</summary>
    public int MaxListed { get; set; } = 200;
}
