using System.Buffers;
using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using Ribat.Stix.Model;
using Ribat.Stix.Validation;

namespace Ribat.Stix.Serialization;

/// <summary>The outcome of reading a bundle: the objects that could be read, and why the others could not.</summary>
public sealed class StixReadResult
{
    internal StixReadResult(StixBundle? bundle, StixObject? single, IReadOnlyList<StixIssue> issues, int skippedObjects)
    {
        Bundle = bundle;
        Objects = bundle?.Objects ?? (single is null ? [] : [single]);
        Issues = issues;
        SkippedObjects = skippedObjects;
    }

    /// <summary>The bundle, or null when the document is a single object or not readable at all.</summary>
    public StixBundle? Bundle { get; }

    /// <summary>The objects read: the bundle's, or the one object the document holds.</summary>
    public IReadOnlyList<StixObject> Objects { get; }

    /// <summary>Reading errors, then (when a validator was given) the validator's findings.</summary>
    public IReadOnlyList<StixIssue> Issues { get; }

    /// <summary>Objects left out of <see cref="Bundle"/> because they could not be read (each has an error in <see cref="Issues"/>).</summary>
    public int SkippedObjects { get; }

    public IEnumerable<StixIssue> Errors => Issues.Where(i => i.Severity == StixSeverity.Error);
}

/// <summary>Reads and writes STIX 2.1 JSON. Never throws on bad input: every problem is a <see cref="StixIssue"/>.</summary>
public static class StixSerializer
{
    // The default encoder escapes non-ASCII text as \uXXXX: the same JSON to any reader, and measured twice as fast as
    // the relaxed encoder on ATT&CK's prose (bench/README.md).
    private static readonly JsonWriterOptions CompactWriter = new() { SkipValidation = true };
    private static readonly JsonWriterOptions IndentedWriter = CompactWriter with { Indented = true };

    /// <summary>
    /// Reads a bundle. Objects that cannot be read (a property of the wrong JSON type, a bad timestamp) are skipped and
    /// reported by id and property; the rest are returned. With <paramref name="validator"/>, the same parsed document is
    /// also validated and its findings appended.
    /// </summary>
    public static StixReadResult ReadBundle(ReadOnlyMemory<byte> utf8Json, StixReadOptions? options = null, StixValidator? validator = null)
    {
        options ??= StixReadOptions.Default;
        var issues = new List<StixIssue>();
        using var document = TryParse(utf8Json, options, issues);
        if (document is null)
        {
            return new StixReadResult(null, null, issues, 0);
        }

        return ReadBundle(document.RootElement, options, validator, issues);
    }

    private static StixReadResult ReadBundle(JsonElement root, StixReadOptions options, StixValidator? validator, List<StixIssue> issues)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            issues.Add(new StixIssue(StixSeverity.Error, null, null, $"a bundle is a JSON object, not {Describe(root.ValueKind)}"));
            return new StixReadResult(null, null, issues, 0);
        }

        var bundle = new StixBundle();
        var skipped = 0;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type" when property.Value.ValueKind == JsonValueKind.String:
                    bundle.Type = property.Value.GetString()!;
                    break;
                case "id" when property.Value.ValueKind == JsonValueKind.String:
                    bundle.Id = property.Value.GetString()!;
                    break;
                case "objects" when property.Value.ValueKind == JsonValueKind.Array:
                    bundle.Objects = ReadObjects(property.Value, options, issues, ref skipped);
                    break;
                case "type" or "id" or "objects":
                    issues.Add(new StixIssue(StixSeverity.Error, StringOrNull(root, "id"), property.Name, $"has the wrong JSON type ({Describe(property.Value.ValueKind)})"));
                    break;
                default:
                    (bundle.Custom ??= [])[property.Name] = property.Value.Clone();
                    break;
            }
        }

        if (bundle.Type != "bundle")
        {
            issues.Add(new StixIssue(StixSeverity.Error, StringOrNull(root, "id"), "type", $"a bundle's type is \"bundle\", not \"{bundle.Type}\""));
        }

        if (validator is not null)
        {
            issues.AddRange(validator.ValidateBundle(root));
        }

        return new StixReadResult(bundle, null, issues, skipped);
    }

    /// <summary>Reads a document holding either a bundle or a single object.</summary>
    public static StixReadResult Read(ReadOnlyMemory<byte> utf8Json, StixReadOptions? options = null, StixValidator? validator = null)
    {
        options ??= StixReadOptions.Default;
        var issues = new List<StixIssue>();
        using var document = TryParse(utf8Json, options, issues);
        if (document is null)
        {
            return new StixReadResult(null, null, issues, 0);
        }

        var root = document.RootElement;
        if (StringOrNull(root, "type") is "bundle" or null)
        {
            return ReadBundle(root, options, validator, issues);
        }

        if (!TryReadObject(root, out var value, out var error))
        {
            issues.Add(error!);
        }

        if (validator is not null)
        {
            issues.AddRange(validator.ValidateObject(root));
        }

        return new StixReadResult(null, value, issues, value is null ? 1 : 0);
    }

    /// <summary>Reads one object (not a bundle).</summary>
    public static StixObject? ReadObject(ReadOnlyMemory<byte> utf8Json, out IReadOnlyList<StixIssue> issues, StixReadOptions? options = null)
    {
        var found = new List<StixIssue>();
        issues = found;
        using var document = TryParse(utf8Json, options ?? StixReadOptions.Default, found);
        if (document is null)
        {
            return null;
        }

        return TryReadObject(document.RootElement, out var value, out var error) ? value : Add(found, error);

        static StixObject? Add(List<StixIssue> found, StixIssue? error)
        {
            found.Add(error!);
            return null;
        }
    }

    /// <summary>Reads one object from an already parsed element; <paramref name="error"/> names the object and property otherwise.</summary>
    public static bool TryReadObject(JsonElement element, out StixObject? value, out StixIssue? error)
    {
        value = null;
        error = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = new StixIssue(StixSeverity.Error, null, null, $"a STIX object is a JSON object, not {Describe(element.ValueKind)}");
            return false;
        }

        var id = StringOrNull(element, "id");
        if (!element.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            error = new StixIssue(StixSeverity.Error, id, "type", "is required and must be a string");
            return false;
        }

        var type = typeElement.GetString()!;
        try
        {
            value = (StixObject?)element.Deserialize(StixTypes.TypeInfoFor(type));
        }
        catch (JsonException exception)
        {
            error = new StixIssue(StixSeverity.Error, id, PropertyOf(exception.Path), Reason(exception));
            return false;
        }

        if (value is null || string.IsNullOrEmpty(value.Id))
        {
            error = new StixIssue(StixSeverity.Error, id, "id", "is required and must be a string");
            value = null;
            return false;
        }

        return true;
    }

    /// <summary>Writes a bundle as UTF-8 JSON.</summary>
    public static byte[] WriteBundle(StixBundle bundle, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, indented ? IndentedWriter : CompactWriter))
        {
            WriteBundle(bundle, writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a bundle to <paramref name="writer"/>.</summary>
    public static void WriteBundle(StixBundle bundle, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", bundle.Type);
        writer.WriteString("id", bundle.Id);
        if (bundle.Objects is not null)
        {
            writer.WriteStartArray("objects");
            foreach (var value in bundle.Objects)
            {
                WriteObject(value, writer);
            }

            writer.WriteEndArray();
        }

        if (bundle.Custom is not null)
        {
            foreach (var (name, value) in bundle.Custom)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes one object to <paramref name="writer"/>.</summary>
    public static void WriteObject(StixObject value, Utf8JsonWriter writer) =>
        JsonSerializer.Serialize(writer, value, StixTypes.TypeInfoFor(value));

    /// <summary>Writes one object as UTF-8 JSON.</summary>
    public static byte[] WriteObject(StixObject value, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, indented ? IndentedWriter : CompactWriter))
        {
            WriteObject(value, writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The object as a JSON element (for the validator and for id computation).</summary>
    public static JsonElement ToElement(StixObject value)
    {
        using var document = JsonDocument.Parse(WriteObject(value));
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Whether two objects say the same thing: their JSON is equal with property order and number spelling aside
    /// (see <see cref="JsonSemantic"/>).
    /// </summary>
    public static bool SemanticEquals(StixObject left, StixObject right)
    {
        using var a = JsonDocument.Parse(WriteObject(left));
        using var b = JsonDocument.Parse(WriteObject(right));
        return JsonSemantic.Equals(a.RootElement, b.RootElement);
    }

    private static JsonDocument? TryParse(ReadOnlyMemory<byte> utf8Json, StixReadOptions options, List<StixIssue> issues)
    {
        if (utf8Json.Length > options.MaxBytes)
        {
            issues.Add(new StixIssue(StixSeverity.Error, null, null, $"the document is {utf8Json.Length:N0} bytes, more than the {options.MaxBytes:N0} accepted"));
            return null;
        }

        // A byte order mark is not JSON, but editors write one; it carries no meaning, so it is skipped.
        if (utf8Json.Span.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        // JsonDocument defers UTF-8 checks inside strings to the first read of each; checking once here keeps every
        // later read from throwing.
        if (!Utf8.IsValid(utf8Json.Span))
        {
            issues.Add(new StixIssue(StixSeverity.Error, null, null, $"not UTF-8: invalid byte sequence at byte {FirstInvalidUtf8(utf8Json.Span):N0}"));
            return null;
        }

        try
        {
            return JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = options.MaxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException exception)
        {
            issues.Add(new StixIssue(StixSeverity.Error, null, null, $"not valid JSON: {exception.Message}"));
            return null;
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }

    private static List<StixObject> ReadObjects(JsonElement array, StixReadOptions options, List<StixIssue> issues, ref int skipped)
    {
        var objects = new List<StixObject>(Math.Min(array.GetArrayLength(), options.MaxObjects));
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (index++ == options.MaxObjects)
            {
                issues.Add(new StixIssue(StixSeverity.Error, null, "objects", $"more than {options.MaxObjects:N0} objects; the rest were not read"));
                skipped += array.GetArrayLength() - options.MaxObjects;
                break;
            }

            if (TryReadObject(element, out var value, out var error))
            {
                objects.Add(value!);
            }
            else
            {
                skipped++;
                issues.Add(error! with { Message = $"object {index - 1} not read: {error!.Message}" });
            }
        }

        return objects;
    }

    internal static string? StringOrNull(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string? PropertyOf(string? path) => path is null or "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // STJ appends its own "Path: … | LineNumber…" to messages it writes; the path is already in the issue.
    private static string Reason(JsonException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
