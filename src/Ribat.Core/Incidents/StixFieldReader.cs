using System.Text.Json;
using Ribat.Core.Federation;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;

namespace Ribat.Core.Incidents;

/// <summary>
/// Reads the fields of a partner's custom STIX object (an incident and its parts, a playbook) one by one, keeping the first problem as a one-line reason: a
/// missing or oversized field, control characters, an unknown value. Nothing is trusted before it is read here.
/// </summary>
internal sealed class StixFieldReader(JsonElement stix)
{
    public string? Problem { get; private set; }

    public bool Ok => Problem is null;

    /// <summary>Records a problem the caller found itself (the first one recorded is kept).</summary>
    public void Refuse(string reason) => Problem ??= reason;

    private T? Fail<T>(string reason)
    {
        Problem ??= reason;
        return default;
    }

    /// <summary>A string field; <paramref name="multiline"/> allows line breaks and tabs (never NUL or other controls).</summary>
    public string? Text(string name, int max, bool required = true, bool multiline = false)
    {
        if (!stix.TryGetProperty(name, out var value))
        {
            return required ? Fail<string>($"{name} is missing") : null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fail<string>($"{name} is not a string");
        }

        var text = value.GetString()!;
        if (text.Length > max)
        {
            return Fail<string>($"{name} is longer than {max:N0} characters");
        }

        if (required && string.IsNullOrWhiteSpace(text))
        {
            return Fail<string>($"{name} is empty");
        }

        return text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            ? Fail<string>($"{name} holds control characters")
            : text;
    }

    public Guid? Id(string name, bool required = true)
    {
        var text = Text(name, 36, required);
        return text is null ? null : Guid.TryParse(text, out var id) && id != Guid.Empty ? id : Fail<Guid?>($"{name} is not an id");
    }

    public DateTimeOffset? Time(string name, bool required = true)
    {
        var text = Text(name, 40, required);
        if (text is null)
        {
            return null;
        }

        return StixTimestamp.TryParse(text, out var stamp, out _)
            ? new DateTimeOffset(stamp.UtcDateTime, TimeSpan.Zero)
            : Fail<DateTimeOffset?>($"{name} is not a STIX timestamp");
    }

    /// <summary>A reference <c>type--uuid</c> to an object of <paramref name="type"/>; its uuid.</summary>
    public (string StixId, Guid Uuid)? Reference(string name, string type, bool required = true)
    {
        var text = Text(name, 100, required);
        if (text is null)
        {
            return null;
        }

        return StixIdentifier.TrySplit(text, out var actual, out var uuid) && actual == type
            ? (text, uuid)
            : Fail<(string, Guid)?>($"{name} is not a reference to an {type}");
    }

    public int? Number(string name, int min, int max)
    {
        if (!stix.TryGetProperty(name, out var value))
        {
            return Fail<int?>($"{name} is missing");
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max
            ? n
            : Fail<int?>($"{name} is not a whole number from {min} to {max}");
    }

    /// <summary>A boolean field; absent is false.</summary>
    public bool Flag(string name)
    {
        if (!stix.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => Fail<bool>($"{name} is not true or false"),
        };
    }

    /// <summary>An array of at most <paramref name="max"/> items, each read by <paramref name="read"/>.</summary>
    public List<T>? List<T>(string name, int max, Func<JsonElement, StixFieldReader, T?> read)
    {
        if (!stix.TryGetProperty(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Fail<List<T>>($"{name} is not a list");
        }

        if (value.GetArrayLength() > max)
        {
            return Fail<List<T>>($"{name} has more than {max} items");
        }

        var items = new List<T>();
        foreach (var item in value.EnumerateArray())
        {
            var inner = new StixFieldReader(item);
            var read1 = read(item, inner);
            if (inner.Problem is { } problem)
            {
                return Fail<List<T>>($"{name}: {problem}");
            }

            items.Add(read1!);
        }

        return items;
    }

    /// <summary>A list of strings, each one of the known spellings <paramref name="parse"/> accepts.</summary>
    public List<string>? Words(string name, int max, TryParse parse, string what) =>
        List(name, max, (item, inner) =>
        {
            if (item.ValueKind != JsonValueKind.String || !parse(item.GetString(), out var known))
            {
                inner.Problem = $"'{Shorten(item.ToString())}' is not {what}";
                return null;
            }

            return known;
        });

    public delegate bool TryParse(string? text, out string known);

    /// <summary>A value for a reason: at most 40 characters, control characters shown as '?'.</summary>
    public static string Shorten(string text)
    {
        var clean = new string(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > 40 ? clean + "…" : clean;
    }

    public string? Type => StixIntake.Text(stix, "type");
}
