using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;

namespace Ribat.Stix.Identifiers;

/// <summary>
/// STIX identifiers: <c>type--UUID</c>. SDOs and SROs get a random UUIDv4; SCOs a UUIDv5 in the STIX namespace over the
/// RFC 8785 canonical JSON of their ID contributing properties, so the same observable gets the same id everywhere.
/// </summary>
public static class StixIdentifier
{
    /// <summary>The namespace the spec fixes for SCO ids.</summary>
    public static readonly Guid ObservableNamespace = new("00abedb4-aa42-466c-9c01-fed23315a9b7");

    /// <summary>Preferred hash when <c>hashes</c> contributes: the spec's order.</summary>
    private static readonly string[] HashPreference = ["MD5", "SHA-1", "SHA-256", "SHA-512"];

    /// <summary>Each SCO type's ID contributing properties (STIX 2.1 section 6). <c>process</c> has none.</summary>
    public static IReadOnlyDictionary<string, string[]> ContributingProperties { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["artifact"] = ["hashes", "payload_bin"],
        ["autonomous-system"] = ["number"],
        ["directory"] = ["path"],
        ["domain-name"] = ["value"],
        ["email-addr"] = ["value"],
        ["email-message"] = ["from_ref", "subject", "body"],
        ["file"] = ["hashes", "name", "extensions", "parent_directory_ref"],
        ["ipv4-addr"] = ["value"],
        ["ipv6-addr"] = ["value"],
        ["mac-addr"] = ["value"],
        ["mutex"] = ["name"],
        ["network-traffic"] = ["start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"],
        ["process"] = [],
        ["software"] = ["name", "cpe", "swid", "vendor", "version"],
        ["url"] = ["value"],
        ["user-account"] = ["account_type", "user_id", "account_login"],
        ["windows-registry-key"] = ["key", "values"],
        ["x509-certificate"] = ["hashes", "serial_number"],
    };

    /// <summary>A new id with a random UUIDv4, for SDOs, SROs and anything without contributing properties.</summary>
    public static string NewRandom(string type) => $"{type}--{Guid.NewGuid():D}";

    /// <summary>The deterministic id of an SCO, or null when it has no contributing property set (use <see cref="NewRandom"/>).</summary>
    public static string? Deterministic(StixCyberObservable observable) => Deterministic(StixSerializer.ToElement(observable));

    /// <summary>
    /// The deterministic id of an SCO given as JSON, or null when none of its contributing properties is present (or
    /// one holds a number beyond double range, which RFC 8785 cannot write).
    /// </summary>
    public static string? Deterministic(JsonElement observable)
    {
        var type = StixSerializer.StringOrNull(observable, "type");
        if (type is null || !ContributingProperties.TryGetValue(type, out var names))
        {
            return null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        var any = false;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var name in names)
            {
                if (!observable.TryGetProperty(name, out var value))
                {
                    continue;
                }

                any = true;
                writer.WritePropertyName(name);
                if (name == "hashes" && value.ValueKind == JsonValueKind.Object)
                {
                    WriteChosenHash(writer, value);
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        if (!any)
        {
            return null;
        }

        using var contributing = JsonDocument.Parse(buffer.WrittenMemory);
        byte[] canonical;
        try
        {
            canonical = JsonCanonicalizer.Canonicalize(contributing.RootElement);
        }
        catch (FormatException)
        {
            // A contributing number no double holds: there is no canonical form, so no deterministic id either.
            return null;
        }

        return $"{type}--{UuidV5(ObservableNamespace, canonical):D}";
    }

    /// <summary>
    /// The deterministic id of an SCO of <paramref name="type"/> whose only contributing property present is the string
    /// <paramref name="property"/>: what <see cref="Deterministic(JsonElement)"/> gives for it, without writing and
    /// reading JSON.
    /// </summary>
    public static string OfString(string type, string property, string value) => Of(type, property, null, value);

    /// <summary>As <see cref="OfString"/>, for an SCO whose only contributing property present is <c>hashes</c>, holding one hash.</summary>
    public static string OfHash(string type, string algorithm, string value) => Of(type, "hashes", algorithm, value);

    /// <summary>As <see cref="OfString"/>, for a whole number within the range a double holds exactly.</summary>
    public static string OfNumber(string type, string property, long value)
    {
        var builder = new StringBuilder(property.Length + 24).Append('{');
        JsonCanonicalizer.AppendString(builder, property);
        builder.Append(':').Append(JsonCanonicalizer.FormatNumber(value)).Append('}');
        return $"{type}--{UuidV5(ObservableNamespace, Encoding.UTF8.GetBytes(builder.ToString())):D}";
    }

    private static string Of(string type, string property, string? member, string value)
    {
        var builder = new StringBuilder(value.Length + 32).Append('{');
        JsonCanonicalizer.AppendString(builder, property);
        builder.Append(':');
        if (member is not null)
        {
            builder.Append('{');
            JsonCanonicalizer.AppendString(builder, member);
            builder.Append(':');
        }

        JsonCanonicalizer.AppendString(builder, value);
        builder.Append(member is null ? "}" : "}}");
        return $"{type}--{UuidV5(ObservableNamespace, Encoding.UTF8.GetBytes(builder.ToString())):D}";
    }

    /// <summary>RFC 9562 name-based UUID, version 5 (SHA-1).</summary>
    public static Guid UuidV5(Guid @namespace, ReadOnlySpan<byte> name)
    {
        Span<byte> space = stackalloc byte[16];
        @namespace.TryWriteBytes(space, bigEndian: true, out _);
        var input = new byte[16 + name.Length];
        space.CopyTo(input);
        name.CopyTo(input.AsSpan(16));
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>Splits <c>type--uuid</c>; false when it is not that shape.</summary>
    public static bool TrySplit(string? id, out string type, out Guid uuid)
    {
        type = string.Empty;
        uuid = Guid.Empty;
        if (id is null)
        {
            return false;
        }

        var separator = id.IndexOf("--", StringComparison.Ordinal);
        if (separator <= 0 || id.Length - separator - 2 != 36)
        {
            return false;
        }

        type = id[..separator];
        return Guid.TryParseExact(id.AsSpan(separator + 2), "D", out uuid);
    }

    private static void WriteChosenHash(Utf8JsonWriter writer, JsonElement hashes)
    {
        writer.WriteStartObject();
        foreach (var preferred in HashPreference)
        {
            if (hashes.TryGetProperty(preferred, out var chosen))
            {
                writer.WritePropertyName(preferred);
                chosen.WriteTo(writer);
                writer.WriteEndObject();
                return;
            }
        }

        // None of the preferred algorithms: the spec leaves the choice open; the first by name keeps it deterministic.
        string? first = null;
        JsonElement firstValue = default;
        foreach (var property in hashes.EnumerateObject())
        {
            if (first is null || string.CompareOrdinal(property.Name, first) < 0)
            {
                first = property.Name;
                firstValue = property.Value;
            }
        }

        if (first is not null)
        {
            writer.WritePropertyName(first);
            firstValue.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
