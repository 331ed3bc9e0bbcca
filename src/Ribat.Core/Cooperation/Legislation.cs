namespace Ribat.Core.Cooperation;

public sealed record ProvisionDto(Guid Id, string Country, string Offence, string Reference, string? Title, string? Notes, DateTimeOffset UpdatedAt);

/// <summary>The legislation catalogue's shared pieces: a provision on the wire.</summary>
public static class Legislation
{
    public static ProvisionDto ToDto(NationalProvision p) => new(p.Id, p.Country, p.Offence, p.Reference, p.Title, p.Notes, p.UpdatedAt);
}
