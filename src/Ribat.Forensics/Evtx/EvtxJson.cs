using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Writes an event in the JSON shape of omerbenamram/evtx's <c>evtx_dump -o json</c>: attributes under
/// <c>#attributes</c>, text alone as the element's value (or <c>#text</c> beside attributes or children), an empty
/// element as null, a <c>Data</c> element with a <c>Name</c> attribute as that name, and a repeated name given
/// <c>_1</c>, <c>_2</c>… suffixes.
/// </summary>
public static class EvtxJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The record as one JSON object, <c>{"Event": {…}}</c>.</summary>
    public static string Render(EvtxRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(record.Shape[0].Name);
            WriteBody(writer, record, 0);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes <c>{"Name": …}</c> for the element.</summary>
    public static void Write(Utf8JsonWriter writer, EvtxElement element)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(element.Name);
        WriteBody(writer, element.Record, element.Index);
        writer.WriteEndObject();
    }

    private static void WriteBody(Utf8JsonWriter writer, EvtxRecord record, int index)
    {
        ref readonly var element = ref record.Shape[index];
        if (element.AttributeCount == 0 && element.ChildCount == 0)
        {
            WriteValue(writer, record.Values[index]);
            return;
        }

        writer.WriteStartObject();
        if (element.AttributeCount > 0)
        {
            writer.WritePropertyName("#attributes");
            writer.WriteStartObject();
            foreach (var attribute in record.AttributesOf(index))
            {
                writer.WritePropertyName(attribute.Name);
                WriteValue(writer, attribute.Value);
            }

            writer.WriteEndObject();
        }

        var seen = element.ChildCount > 1 ? new Dictionary<string, int>(StringComparer.Ordinal) : null;
        for (var i = element.FirstChild; i < element.FirstChild + element.ChildCount; i++)
        {
            ref readonly var child = ref record.Shape[i];
            var named = DataName(record, i);
            var key = named ?? child.Name;
            if (seen is not null)
            {
                var times = seen.GetValueOrDefault(key);
                seen[key] = times + 1;
                key = times == 0 ? key : key + "_" + times;
            }

            writer.WritePropertyName(key);
            if (named is not null)
            {
                WriteValue(writer, record.Values[i]);
            }
            else
            {
                WriteBody(writer, record, i);
            }
        }

        if (!record.Values[index].IsNull)
        {
            writer.WritePropertyName("#text");
            WriteValue(writer, record.Values[index]);
        }

        writer.WriteEndObject();
    }

    /// <summary>The name a <c>&lt;Data Name="X"&gt;</c> element is keyed by, when that is its only attribute and it holds no elements.</summary>
    private static string? DataName(EvtxRecord record, int index)
    {
        ref readonly var element = ref record.Shape[index];
        if (element.Name != "Data" || element.AttributeCount != 1 || element.ChildCount != 0)
        {
            return null;
        }

        var attribute = record.AttributesOf(index)[0];
        return attribute.Name == "Name" ? attribute.Value.ToText() : null;
    }

    private static void WriteValue(Utf8JsonWriter writer, EvtxValue value)
    {
        switch (value.Kind)
        {
            case EvtxValueKind.Null:
                writer.WriteNullValue();
                break;
            case EvtxValueKind.Signed:
                writer.WriteNumberValue(value.Signed);
                break;
            case EvtxValueKind.Unsigned:
                writer.WriteNumberValue(value.Unsigned);
                break;
            case EvtxValueKind.Real:
                writer.WriteRawValue(value.RealText(), skipInputValidation: true);
                break;
            case EvtxValueKind.Boolean:
                writer.WriteBooleanValue(value.Boolean);
                break;
            case EvtxValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.Items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(value.ToText());
                break;
        }
    }
}
