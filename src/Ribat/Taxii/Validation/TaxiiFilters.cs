using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Ribat.Core.Federation;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;

namespace Ribat.Taxii.Validation;

/// <summary>Which of TAXII's URL parameters an endpoint takes.</summary>
[Flags]
internal enum TaxiiParameters
{
    None = 0,
    AddedAfter = 1,
    Limit = 2,
    Next = 4,
    MatchId = 8,
    MatchType = 16,
    MatchVersion = 32,
    MatchSpecVersion = 64,
    Paging = AddedAfter | Limit | Next,
    Objects = Paging | MatchId | MatchType | MatchVersion | MatchSpecVersion,
    Object = Paging | MatchVersion | MatchSpecVersion,
    Versions = Paging | MatchSpecVersion,
    Delete = MatchVersion | MatchSpecVersion,
}

/// <summary>A refused parameter: TAXII answers 400 naming it.</summary>
internal sealed record FilterProblem(string Parameter, string Reason);

/// <summary>
/// Reads and checks TAXII's filters (<c>added_after</c>, <c>limit</c>, <c>next</c>, <c>match[…]</c>). A parameter the
/// endpoint does not take, or a value that does not parse, is a problem naming it: nothing is guessed.
/// <c>next</c> tokens are sealed by the node's data-protection keys and bound to the collection, the object, the
/// requester and the filters, so a token that was altered, or replayed elsewhere, is refused.
/// </summary>
internal sealed class TaxiiFilters(IDataProtectionProvider protection)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    private const int MaxValues = 100;

    private readonly IDataProtector _next = protection.CreateProtector("Ribat.Taxii.Next.v1");

    public (StixObjectQuery? Query, FilterProblem? Problem) Read(IQueryCollection query, TaxiiParameters allowed, string scope)
    {
        foreach (var key in query.Keys)
        {
            if (Parameter(key) is not { } known)
            {
                if (key.StartsWith("match[", StringComparison.Ordinal))
                {
                    return (null, new FilterProblem(key, "is not a filter this server supports (match[id], match[type], match[version], match[spec_version])"));
                }

                continue;
            }

            if (!allowed.HasFlag(known))
            {
                return (null, new FilterProblem(key, "is not taken by this endpoint"));
            }
        }

        foreach (var key in query.Keys.Where(k => k.StartsWith("match[", StringComparison.Ordinal)))
        {
            if (List(query, key) is { Count: > MaxValues })
            {
                return (null, new FilterProblem(key, $"names more than {MaxValues} values"));
            }
        }

        DateTimeOffset? after = null;
        if (Single(query, "added_after") is { } addedAfter)
        {
            if (!StixTimestamp.TryParse(addedAfter, out var timestamp, out var reason))
            {
                return (null, new FilterProblem("added_after", reason!));
            }

            after = StixObjectStore.Microseconds(new DateTimeOffset(timestamp.UtcDateTime, TimeSpan.Zero));
        }

        var limit = DefaultLimit;
        if (Single(query, "limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                return (null, new FilterProblem("limit", "is a positive whole number"));
            }

            limit = Math.Min(limit, MaxLimit);
        }

        var ids = List(query, "match[id]");
        if (ids?.FirstOrDefault(i => !StixIdentifier.TrySplit(i, out _, out _)) is { } badId)
        {
            return (null, new FilterProblem("match[id]", $"'{Shorten(badId)}' is not a STIX identifier (type--uuid)"));
        }

        var types = List(query, "match[type]");
        if (types?.FirstOrDefault(t => t.Length is 0 or > 250 || t.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))) is { } badType)
        {
            return (null, new FilterProblem("match[type]", $"'{Shorten(badType)}' is not a STIX type"));
        }

        var specs = List(query, "match[spec_version]");
        if (specs?.FirstOrDefault(s => s is not ("2.0" or "2.1")) is { } badSpec)
        {
            return (null, new FilterProblem("match[spec_version]", $"'{Shorten(badSpec)}' is not a STIX version this server holds (2.0, 2.1)"));
        }

        var versions = VersionMatch.LastOnly;
        if (List(query, "match[version]") is { } versionValues)
        {
            var at = new List<DateTimeOffset>();
            bool first = false, last = false, all = false;
            foreach (var value in versionValues)
            {
                switch (value)
                {
                    case "first": first = true; break;
                    case "last": last = true; break;
                    case "all": all = true; break;
                    default:
                        if (!StixTimestamp.TryParse(value, out var version, out _))
                        {
                            return (null, new FilterProblem("match[version]", $"'{Shorten(value)}' is not first, last, all or a timestamp"));
                        }

                        at.Add(StixObjectStore.Microseconds(new DateTimeOffset(version.UtcDateTime, TimeSpan.Zero)));
                        break;
                }
            }

            versions = new VersionMatch(first, last, all, at);
        }

        if (Single(query, "next") is { } next)
        {
            if (!TryOpen(next, scope, Fingerprint(query), out var cursor))
            {
                return (null, new FilterProblem("next", "is not a token this server issued for this request"));
            }

            after = cursor;
        }

        return (new StixObjectQuery(after, limit, ids, types, versions, specs), null);
    }

    /// <summary>The token for the page after <paramref name="last"/>, bound to the same scope and filters.</summary>
    public string Seal(IQueryCollection query, string scope, DateTimeOffset last) =>
        Base64Url(_next.Protect(Encoding.UTF8.GetBytes($"{scope}|{Fingerprint(query)}|{last.UtcTicks.ToString(CultureInfo.InvariantCulture)}")));

    private bool TryOpen(string token, string scope, string fingerprint, out DateTimeOffset cursor)
    {
        cursor = default;
        try
        {
            var text = Encoding.UTF8.GetString(_next.Unprotect(FromBase64Url(token)));
            if (text != $"{scope}|{fingerprint}|{text[(text.LastIndexOf('|') + 1)..]}"
                || !long.TryParse(text[(text.LastIndexOf('|') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return false;
            }

            cursor = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The filters that must stay the same from page to page (the limit may change, the cursor does).</summary>
    private static string Fingerprint(IQueryCollection query)
    {
        var text = string.Join('&', query.Where(q => q.Key.StartsWith("match[", StringComparison.Ordinal) || q.Key == "added_after")
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => $"{q.Key}={q.Value}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
    }

    private static TaxiiParameters? Parameter(string key) => key switch
    {
        "added_after" => TaxiiParameters.AddedAfter,
        "limit" => TaxiiParameters.Limit,
        "next" => TaxiiParameters.Next,
        "match[id]" => TaxiiParameters.MatchId,
        "match[type]" => TaxiiParameters.MatchType,
        "match[version]" => TaxiiParameters.MatchVersion,
        "match[spec_version]" => TaxiiParameters.MatchSpecVersion,
        _ => null,
    };

    private static string? Single(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.Count > 0 ? values[^1] : null;

    /// <summary>Comma-separated values, possibly over repeated parameters; null when absent.</summary>
    private static List<string>? List(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var values))
        {
            return null;
        }

        return values.SelectMany(v => (v ?? string.Empty).Split(',')).Select(v => v.Trim()).Distinct(StringComparer.Ordinal).Take(MaxValues + 1).ToList();
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static byte[] FromBase64Url(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
