using System.Text.Json;

namespace Ribat.Forensics.Exchange;

internal sealed partial class MispJsonParser
{
    /// <summary>
    /// An object that is <c>{"Event": {...}}</c>, <c>{"response": [...]}</c> (only at the top) or a bare event. The reader
    /// is on its <c>{</c> and ends on its <c>}</c>.
    /// </summary>
    private void ParseContainer(ref Utf8JsonReader reader, string path, bool allowResponse, List<ExchangeReport> events)
    {
        var bare = new MispEventBuilder(path) { Line = LineOf(ref reader) };
        var wrapped = false;
        while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Event"u8))
            {
                Value(ref reader);
                var eventPath = JsonWhere.Join(path, "Event");
                wrapped = true;
                if (Expect(ref reader, JsonTokenType.StartObject, new JsonWhere(eventPath)))
                {
                    var builder = new MispEventBuilder(eventPath) { Line = LineOf(ref reader) };
                    while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        ParseEventProperty(ref reader, builder);
                    }

                    events.Add(builder.Build(issues));
                }
            }
            else if (allowResponse && reader.ValueTextEquals("response"u8))
            {
                Value(ref reader);
                wrapped = true;
                ParseResponse(ref reader, events);
            }
            else
            {
                ParseEventProperty(ref reader, bare);
            }
        }

        if (wrapped)
        {
            return;
        }

        if (bare.HasEventFields)
        {
            events.Add(bare.Build(issues));
        }
        else if (path.Length == 0)
        {
            throw new MispInputException(bare.Line, "no MISP event found: expected {\"Event\": {...}}, {\"response\": [...]} or an event object with 'info', 'Attribute' or 'Object'.");
        }
        else
        {
            issues.Add(bare.Line, path, "not a MISP event (no 'Event', 'info', 'Attribute' or 'Object'); ignored.");
        }
    }

    private void ParseResponse(ref Utf8JsonReader reader, List<ExchangeReport> events)
    {
        if (!Expect(ref reader, JsonTokenType.StartArray, new JsonWhere("response")))
        {
            return;
        }

        var index = 0;
        while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            var itemPath = $"response[{index++}]";
            if (Expect(ref reader, JsonTokenType.StartObject, new JsonWhere(itemPath)))
            {
                ParseContainer(ref reader, itemPath, allowResponse: false, events);
            }
        }
    }

    /// <summary>The reader is on a property name of an event; it ends on the last token of that property's value.</summary>
    private void ParseEventProperty(ref Utf8JsonReader reader, MispEventBuilder builder)
    {
        if (reader.ValueTextEquals("info"u8))
        {
            Value(ref reader);
            builder.Title = ReadString(ref reader, builder.At("info"));
        }
        else if (reader.ValueTextEquals("date"u8))
        {
            Value(ref reader);
            var text = ReadString(ref reader, builder.At("date"));
            if (ExchangeDates.TryParseDate(text, out var date))
            {
                builder.Date = date;
            }
            else if (text is not null)
            {
                issues.Add(LineOf(ref reader), builder.At("date").ToString(), $"'{Excerpt(text)}' is not a date written yyyy-MM-dd; ignored.");
            }
        }
        else if (reader.ValueTextEquals("uuid"u8))
        {
            Value(ref reader);
            builder.Uuid = ReadString(ref reader, builder.At("uuid"));
        }
        else if (reader.ValueTextEquals("threat_level_id"u8))
        {
            Value(ref reader);
            builder.ThreatLevel = ReadInt(ref reader, builder.At("threat_level_id"), 1, 4);
        }
        else if (reader.ValueTextEquals("analysis"u8))
        {
            Value(ref reader);
            builder.Analysis = ReadInt(ref reader, builder.At("analysis"), 0, 2);
        }
        else if (reader.ValueTextEquals("Orgc"u8))
        {
            Value(ref reader);
            builder.Organisation = ReadOrganisation(ref reader, builder.At("Orgc"));
        }
        else if (reader.ValueTextEquals("Tag"u8))
        {
            Value(ref reader);
            ReadTags(ref reader, builder.Path, builder.Tags);
        }
        else if (reader.ValueTextEquals("Galaxy"u8))
        {
            Value(ref reader);
            ReadGalaxies(ref reader, builder);
        }
        else if (reader.ValueTextEquals("Attribute"u8))
        {
            Value(ref reader);
            ReadAttributes(ref reader, builder, new JsonWhere(builder.Path, "Attribute"), scope: null);
        }
        else if (reader.ValueTextEquals("Object"u8))
        {
            Value(ref reader);
            ReadObjects(ref reader, builder);
        }
        else
        {
            SkipProperty(ref reader);
            return;
        }

        builder.HasEventFields = true;
    }

    private string? ReadOrganisation(ref Utf8JsonReader reader, JsonWhere where)
    {
        if (!Expect(ref reader, JsonTokenType.StartObject, where))
        {
            return null;
        }

        string? name = null;
        while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                Value(ref reader);
                name = ReadString(ref reader, where.With("name"));
            }
            else
            {
                SkipProperty(ref reader);
            }
        }

        return name;
    }

    /// <summary><c>"Tag": [{"name": "tlp:green"}, ...]</c>; a bare string is accepted as a tag name too.</summary>
    private void ReadTags(ref Utf8JsonReader reader, string basePath, List<string> into)
    {
        if (!Expect(ref reader, JsonTokenType.StartArray, new JsonWhere(basePath, Field: "Tag")))
        {
            return;
        }

        var index = 0;
        while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            var at = new JsonWhere(basePath, "Tag", index++);
            string? name = null;
            if (reader.TokenType == JsonTokenType.String)
            {
                name = ReadString(ref reader, at);
            }
            else if (Expect(ref reader, JsonTokenType.StartObject, at))
            {
                while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("name"u8))
                    {
                        Value(ref reader);
                        name = ReadString(ref reader, at.With("name"));
                    }
                    else
                    {
                        SkipProperty(ref reader);
                    }
                }
            }

            if (!string.IsNullOrWhiteSpace(name))
            {
                into.Add(name.Trim());
            }
        }
    }

    /// <summary><c>"Galaxy": [{"type": "threat-actor", "GalaxyCluster": [{"value": "Sofacy", "meta": {"external_id": [...]}}]}]</c>.</summary>
    private void ReadGalaxies(ref Utf8JsonReader reader, MispEventBuilder builder)
    {
        var where = builder.At("Galaxy");
        if (!Expect(ref reader, JsonTokenType.StartArray, where))
        {
            return;
        }

        var clusters = new List<(string? Type, string Value, List<string> Ids)>();
        while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!Expect(ref reader, JsonTokenType.StartObject, where))
            {
                continue;
            }

            string? galaxyType = null;
            clusters.Clear();
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    Value(ref reader);
                    galaxyType = ReadString(ref reader, where.With("type"));
                }
                else if (reader.ValueTextEquals("GalaxyCluster"u8))
                {
                    Value(ref reader);
                    ReadClusters(ref reader, where.With("GalaxyCluster"), clusters);
                }
                else
                {
                    SkipProperty(ref reader);
                }
            }

            foreach (var (type, value, ids) in clusters)
            {
                if ((type ?? galaxyType) is { } galaxy)
                {
                    builder.Galaxies.Offer(galaxy, value, ids);
                }
            }
        }
    }
}
