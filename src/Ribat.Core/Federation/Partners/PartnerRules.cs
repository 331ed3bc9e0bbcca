using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ribat.Core.Common;
using Ribat.Core.Data;
using Ribat.Core.Sharing;
using Ribat.Core.Tenancy;
using Ribat.Stix.Signing;

namespace Ribat.Core.Federation.Partners;

/// <summary>Who may administer partners, and how partner input is checked and normalised.</summary>
internal static class PartnerRules
{
    public const int MaxName = 200;
    public const int MaxUrl = 2000;
    public const int MaxUser = 200;
    public const int MaxCredential = 4096;

    public const string ConnectedCommunities = "connected-communities";
    public const string SharingGroup = "sharing-group";

    public static readonly IReadOnlyList<string> Distributions = [ConnectedCommunities, SharingGroup];

    public static Error? RefuseRead(Actor actor) =>
        actor.IsNodeAdmin ? null : Error.Forbidden("Partners are administered by node administrators only.");

    public static Error? RefuseWrite(Actor actor) => RefuseRead(actor) ?? actor.RequireWrite();

    /// <summary>The API root as stored: absolute http(s), no user info, query or fragment, ending with a slash.</summary>
    public static string? NormaliseApiRoot(string? text, out string? problem)
    {
        problem = null;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            problem = "apiRoot is required: the partner's TAXII 2.1 API root URL, e.g. https://taxii.partner.example/api1/.";
            return null;
        }

        if (value.Length > MaxUrl)
        {
            problem = $"apiRoot is longer than {MaxUrl} characters.";
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            problem = $"apiRoot '{Shorten(value)}' is not an absolute http or https URL.";
            return null;
        }

        if (uri.UserInfo.Length > 0)
        {
            problem = "apiRoot must not carry a user name or password; give them as userName and credential, which are kept encrypted.";
            return null;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problem = "apiRoot is the API root itself: no query (?…) or fragment (#…).";
            return null;
        }

        var normalised = uri.GetLeftPart(UriPartial.Path);
        return normalised.EndsWith('/') ? normalised : normalised + "/";
    }

    /// <summary>Checks everything an add needs; a change checks only what it is given.</summary>
    public static async Task<Validation> ValidateAsync(RibatDbContext db, PartnerInput input, bool adding, Guid localNode, CancellationToken cancellationToken)
    {
        var v = new Validation();
        if (adding || input.Name is not null)
        {
            v.Require(!string.IsNullOrWhiteSpace(input.Name) && input.Name.Trim().Length <= MaxName, "name", $"name is required (at most {MaxName} characters).");
            v.RequirePrintable(input.Name, "name");
        }

        if (adding)
        {
            v.Require(input.NodeId is { } node && node != Guid.Empty, "nodeId", "nodeId is required: the partner node's id, as its identity page shows it.");
            v.Require(input.NodeId != localNode, "nodeId", "nodeId is this node's own id; a node is not its own partner.");
        }
        else if (input.NodeId is not null)
        {
            v.Add("nodeId", "A partner's node id is fixed; record a new partner for another node.");
        }

        if (adding || input.ApiRoot is not null)
        {
            if (NormaliseApiRoot(input.ApiRoot, out var problem) is null)
            {
                v.Add("apiRoot", problem!);
            }
        }

        if (input.UserName is { Length: > 0 } user)
        {
            v.Require(user.Length <= MaxUser && !user.Contains(':', StringComparison.Ordinal), "userName", $"userName is at most {MaxUser} characters and has no colon (HTTP Basic cannot carry one).");
            v.RequirePrintable(user, "userName");
        }

        if (adding || input.Credential is not null)
        {
            v.Require(!string.IsNullOrWhiteSpace(input.Credential) && input.Credential.Length <= MaxCredential, "credential",
                $"credential is required (at most {MaxCredential} characters): the password or token the partner issued to us.");
            v.RequirePrintable(input.Credential, "credential");
        }

        if (adding || input.PublicKey is not null)
        {
            using var key = PublicKeys.TryReadP256(input.PublicKey, out var problem);
            if (key is null)
            {
                v.Add("publicKey", $"publicKey: {problem}");
            }
        }

        if (input.Distributions is { } distributions)
        {
            foreach (var unknown in distributions.Where(d => !Distributions.Contains(d?.Trim().ToLowerInvariant())))
            {
                v.Add("distributions", $"'{Shorten(unknown ?? "null")}' is not a distribution that leaves the node; choose from {string.Join(", ", Distributions)} " +
                    "(organisation-only and community objects never leave it).");
            }
        }

        if (input.TlpCeiling is not null)
        {
            v.Require(Tlps.TryParse(input.TlpCeiling, out _), "tlpCeiling", $"tlpCeiling '{Shorten(input.TlpCeiling)}' is not a TLP 2.0 level (clear, green, amber, amber+strict, red).");
        }

        if (input.SharingGroups is { Count: > 0 } groups)
        {
            var wanted = groups.Distinct().ToList();
            var known = await db.SharingGroups.AsNoTracking().Where(g => wanted.Contains(g.Id)).Select(g => g.Id).ToListAsync(cancellationToken);
            foreach (var missing in wanted.Except(known))
            {
                v.Add("sharingGroups", $"No sharing group has the id {missing}.");
            }
        }

        return v;
    }

    public static List<string> DistributionsOf(IReadOnlyList<string>? distributions) =>
        (distributions ?? [ConnectedCommunities]).Select(d => d.Trim().ToLowerInvariant()).Distinct().OrderBy(d => d, StringComparer.Ordinal).ToList();

    public static Tlp CeilingOf(string? tlp) => Tlps.TryParse(tlp, out var level) ? level : Tlp.Green;

    public static string Fingerprint(string pem)
    {
        using var key = PublicKeys.TryReadP256(pem, out _)!;
        return PayloadSignature.KeyIdOf(key);
    }

    public static async Task<Dictionary<Guid, string>> GroupNamesAsync(RibatDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        return wanted.Count == 0
            ? []
            : await db.SharingGroups.AsNoTracking().Where(g => wanted.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}

/// <summary>The inbound secret a partner presents to us: 256 random bits, shown once, kept as its SHA-256.</summary>
internal static class PartnerSecrets
{
    public const string Marker = "rbp_";

    public static string NewSecret() => Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string Prefix(string secret) => secret[..12];
}
