using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Data;

/// <summary>One data-protection key (cookie and token-provider keys), as its XML.</summary>
public sealed class DataProtectionKeyRow
{
    public Guid Id { get; set; }

    public string? FriendlyName { get; set; }

    public required string Xml { get; set; }
}

/// <summary>
/// Keeps data-protection keys in the database, so that several instances sharing one PostgreSQL accept
/// each other's cookies and a restart does not sign everybody out.
/// </summary>
internal sealed class DatabaseXmlRepository(RibatDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = database.Open(TenantScope.NodeWide("data protection"));
        return db.DataProtectionKeys.Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = database.Open(TenantScope.NodeWide("data protection"));
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { Id = Guid.CreateVersion7(), FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
