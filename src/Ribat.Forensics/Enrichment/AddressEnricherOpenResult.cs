namespace Ribat.Forensics.Enrichment;

/// <summary>Either an enricher with every database given open, or one line saying which file is unfit and why.</summary>
public sealed class AddressEnricherOpenResult
{
    private AddressEnricherOpenResult(AddressEnricher? enricher, string? error)
    {
        Enricher = enricher;
        Error = error;
    }

    public AddressEnricher? Enricher { get; }

    public string? Error { get; }

    public bool Succeeded => Enricher is not null;

    internal static AddressEnricherOpenResult Opened(AddressEnricher enricher) => new(enricher, null);

    internal static AddressEnricherOpenResult Failed(string error) => new(null, error);
}
