using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// Turns read MISP attributes into indicators. A composite type (<c>filename|md5</c>, <c>domain|ip</c>) gives one
/// indicator per part, both carrying the attribute's uuid as <see cref="ExchangeIndicator.SourceId"/>. Three objects
/// give a <c>text</c> attribute its meaning through a sibling, which is consumed, not reported: <c>coin-address</c>
/// (<c>address-crypto</c> and <c>symbol</c>), <c>ja4-plus</c> (<c>ja4-fingerprint</c> and <c>ja4-type</c>) and
/// <c>user-account</c> (<c>username</c> and <c>account-type</c>).
/// </summary>
internal static class MispAttributeMapper
{
    private static readonly string[] ContextRelations = ["symbol", "ja4-type", "account-type"];

    public static void MapObject(MispObjectScope scope, MispEventBuilder builder, IssueList issues, IssueList skipped)
    {
        if (scope.Deleted)
        {
            skipped.Add(scope.Line, scope.Path, "the object is marked deleted.");
            return;
        }

        foreach (var attribute in scope.Attributes)
        {
            Map(attribute, scope, builder, issues, skipped);
        }
    }

    public static void Map(MispRawAttribute attribute, MispObjectScope? scope, MispEventBuilder builder, IssueList issues, IssueList skipped)
    {
        if (attribute.Deleted)
        {
            skipped.Add(attribute.Line, attribute.Where.ToString(), "the attribute is marked deleted.");
            return;
        }

        if (attribute.ValueRejected)
        {
            return; // the reason is already reported
        }

        if (string.IsNullOrWhiteSpace(attribute.Type) || string.IsNullOrWhiteSpace(attribute.Value))
        {
            issues.Add(attribute.Line, attribute.Where.ToString(), string.IsNullOrWhiteSpace(attribute.Type) ? "the attribute has no type." : "the attribute has no value.");
            return;
        }

        if (scope is not null && IsContext(attribute))
        {
            return;
        }

        if (!TryParts(attribute, scope, out var parts, out var skipReason))
        {
            skipped.Add(attribute.Line, attribute.Where.ToString(), skipReason);
            return;
        }

        if (Split(attribute, parts.Length, issues) is { } values)
        {
            AddParts(attribute, parts, values, Shared(attribute, scope, issues), builder, issues, skipped);
        }
    }

    private static void AddParts(MispRawAttribute attribute, TypePart[] parts, string[] values, ExchangeIndicator shared, MispEventBuilder builder, IssueList issues, IssueList skipped)
    {
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Kind == PartKind.Ignored)
            {
                continue;
            }

            if (part.Kind == PartKind.Unsupported)
            {
                skipped.Add(attribute.ValueLine, attribute.Where.ToString(), $"MISP type '{attribute.Type}': the '{part.Name}' part has no Ribat observable type.");
                continue;
            }

            if (!MispTypes.TryResolve(part, values[i], out var canonical, out var reason))
            {
                issues.Add(attribute.ValueLine, attribute.Where.With("value").ToString(),
                    $"{attribute.Type} '{MispJsonParser.Excerpt(values[i].Trim())}': {reason}");
                continue;
            }

            builder.Indicators.Add(shared with { Type = canonical.Type, Value = canonical.Value, Display = canonical.Display });
        }
    }

    private static bool IsContext(MispRawAttribute attribute) =>
        string.Equals(attribute.Type, "text", StringComparison.OrdinalIgnoreCase)
        && attribute.Relation is { } relation
        && Array.Exists(ContextRelations, r => r.Equals(relation, StringComparison.OrdinalIgnoreCase));

    private static bool TryParts(MispRawAttribute attribute, MispObjectScope? scope, out TypePart[] parts, out string skipReason)
    {
        skipReason = string.Empty;
        var type = attribute.Type!;
        if (scope is not null && string.Equals(type, "text", StringComparison.OrdinalIgnoreCase) && TryObjectText(attribute, scope, out parts, out skipReason))
        {
            return skipReason.Length == 0;
        }

        if (!MispTypes.TryGetParts(type, out parts))
        {
            skipReason = $"MISP type '{type}' has no Ribat observable type.";
            return false;
        }

        if (string.Equals(type, "uri", StringComparison.OrdinalIgnoreCase) && !attribute.Value!.Contains("://", StringComparison.Ordinal))
        {
            skipReason = "MISP type 'uri' holds a path without scheme and host; Ribat keeps absolute URLs only.";
            return false;
        }

        return true;
    }

    /// <summary><c>true</c> when the object gives this text attribute a meaning (and then either parts or a skip reason).</summary>
    private static bool TryObjectText(MispRawAttribute attribute, MispObjectScope scope, out TypePart[] parts, out string skipReason)
    {
        parts = [];
        skipReason = string.Empty;
        switch (attribute.Relation?.ToLowerInvariant())
        {
            case "address-crypto":
                var symbol = scope.Context("symbol")?.ToUpperInvariant();
                var value = attribute.Value!.Trim();
                ObservableType? coin = symbol switch
                {
                    "ETH" => ObservableType.EthereumAddress,
                    "TRX" or "TRON" => ObservableType.TronAddress,
                    "BTC" => ObservableType.BitcoinAddress,
                    "LTC" => ObservableType.LitecoinAddress,
                    "XMR" => ObservableType.MoneroAddress,
                    null or "" when value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) => ObservableType.EthereumAddress,
                    null or "" when value.StartsWith('T') => ObservableType.TronAddress,
                    _ => null,
                };
                if (coin is { } c)
                {
                    parts = [TypePart.Of(c)];
                }
                else
                {
                    skipReason = $"a coin-address with symbol '{symbol}' has no Ribat observable type.";
                }

                return true;
            case "ja4-fingerprint":
                var variant = scope.Context("ja4-type");
                if (variant is null || variant.Equals("JA4", StringComparison.OrdinalIgnoreCase))
                {
                    parts = [TypePart.Of(ObservableType.Ja4)];
                }
                else
                {
                    skipReason = $"a {variant} fingerprint has no Ribat observable type (only JA4 itself has).";
                }

                return true;
            case "username" when string.Equals(scope.Name, "user-account", StringComparison.OrdinalIgnoreCase):
                var platform = scope.Context("account-type");
                parts = [string.IsNullOrWhiteSpace(platform) ? TypePart.Of(ObservableType.UserAccount) : new TypePart(PartKind.Handle, Name: platform.ToLowerInvariant())];
                return true;
            default:
                return false;
        }
    }

    private static string[]? Split(MispRawAttribute attribute, int count, IssueList issues)
    {
        var value = attribute.Value!;
        if (count == 1)
        {
            return [value];
        }

        var bar = value.IndexOf('|');
        if (bar < 0)
        {
            issues.Add(attribute.ValueLine, attribute.Where.With("value").ToString(),
                $"{attribute.Type} '{MispJsonParser.Excerpt(value)}': expected two values separated by '|'.");
            return null;
        }

        return [value[..bar], value[(bar + 1)..]];
    }

    /// <summary>Everything the parts of one attribute have in common.</summary>
    private static ExchangeIndicator Shared(MispRawAttribute attribute, MispObjectScope? scope, IssueList issues)
    {
        var markings = new MarkingPicker();
        var tags = new List<string>(attribute.Tags.Count);
        foreach (var tag in attribute.Tags)
        {
            if (!markings.Offer(tag) && !tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }

        if (markings.Conflict is { } conflict)
        {
            issues.Add(attribute.Line, attribute.Where.With("Tag").ToString(), conflict);
        }

        return new ExchangeIndicator
        {
            Type = default,
            Value = string.Empty,
            Display = string.Empty,
            Comment = NonEmpty(attribute.Comment) ?? NonEmpty(scope?.Comment),
            Tags = tags,
            FirstSeen = Seen(attribute.FirstSeen ?? scope?.FirstSeen, attribute, "first_seen", issues),
            LastSeen = Seen(attribute.LastSeen ?? scope?.LastSeen, attribute, "last_seen", issues),
            ForDetection = attribute.ToIds,
            Line = attribute.Line,
            Category = NonEmpty(attribute.Category),
            SourceId = NonEmpty(attribute.Uuid),
            ObjectName = NonEmpty(scope?.Name),
            ObjectRelation = scope is null ? null : NonEmpty(attribute.Relation),
            ObjectId = NonEmpty(scope?.Uuid),
            Tlp = markings.Tlp,
            Pap = markings.Pap,
        };
    }

    private static DateTimeOffset? Seen(string? text, MispRawAttribute attribute, string field, IssueList issues)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (ExchangeDates.TryParse(text, out var value))
        {
            return value;
        }

        issues.Add(attribute.Line, attribute.Where.With(field).ToString(), $"'{MispJsonParser.Excerpt(text)}' is not an ISO 8601 date; left empty.");
        return null;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
