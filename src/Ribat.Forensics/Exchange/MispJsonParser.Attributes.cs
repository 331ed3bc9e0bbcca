using System.Text.Json;

namespace Ribat.Forensics.Exchange;

internal sealed partial class MispJsonParser
{
    private void ReadClusters(ref Utf8JsonReader reader, JsonWhere where, List<(string? Type, string Value, List<string> Ids)> into)
    {
        if (!Expect(ref reader, JsonTokenType.StartArray, where))
        {
            return;
        }

        while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!Expect(ref reader, JsonTokenType.StartObject, where))
            {
                continue;
            }

            string? type = null;
            string? value = null;
            var ids = new List<string>();
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    Value(ref reader);
                    type = ReadString(ref reader, where.With("type"));
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    Value(ref reader);
                    value = ReadString(ref reader, where.With("value"));
                }
                else if (reader.ValueTextEquals("meta"u8))
                {
                    Value(ref reader);
                    ReadExternalIds(ref reader, where.With("meta"), ids);
                }
                else
                {
                    SkipProperty(ref reader);
                }
            }

            if (!string.IsNullOrWhiteSpace(value))
            {
                into.Add((type, value.Trim(), ids));
            }
        }
    }

    private void ReadExternalIds(ref Utf8JsonReader reader, JsonWhere where, List<string> into)
    {
        if (!Expect(ref reader, JsonTokenType.StartObject, where))
        {
            return;
        }

        while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("external_id"u8))
            {
                SkipProperty(ref reader);
                continue;
            }

            Value(ref reader);
            if (!Expect(ref reader, JsonTokenType.StartArray, where.With("external_id")))
            {
                continue;
            }

            while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                if (ReadString(ref reader, where.With("external_id")) is { } id)
                {
                    into.Add(id.Trim());
                }
            }
        }
    }

    private void ReadObjects(ref Utf8JsonReader reader, MispEventBuilder builder)
    {
        if (!Expect(ref reader, JsonTokenType.StartArray, builder.At("Object")))
        {
            return;
        }

        var index = 0;
        while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            var where = new JsonWhere(builder.Path, "Object", index++);
            if (!Expect(ref reader, JsonTokenType.StartObject, where))
            {
                continue;
            }

            var scope = new MispObjectScope { Path = where.ToString(), Line = LineOf(ref reader) };
            var at = new JsonWhere(scope.Path);
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8))
                {
                    Value(ref reader);
                    scope.Name = ReadString(ref reader, at.With("name"));
                }
                else if (reader.ValueTextEquals("uuid"u8))
                {
                    Value(ref reader);
                    scope.Uuid = ReadString(ref reader, at.With("uuid"));
                }
                else if (reader.ValueTextEquals("comment"u8))
                {
                    Value(ref reader);
                    scope.Comment = ReadString(ref reader, at.With("comment"));
                }
                else if (reader.ValueTextEquals("first_seen"u8))
                {
                    Value(ref reader);
                    scope.FirstSeen = ReadString(ref reader, at.With("first_seen"));
                }
                else if (reader.ValueTextEquals("last_seen"u8))
                {
                    Value(ref reader);
                    scope.LastSeen = ReadString(ref reader, at.With("last_seen"));
                }
                else if (reader.ValueTextEquals("deleted"u8))
                {
                    Value(ref reader);
                    scope.Deleted = ReadBool(ref reader, at.With("deleted"));
                }
                else if (reader.ValueTextEquals("Attribute"u8))
                {
                    Value(ref reader);
                    ReadAttributes(ref reader, builder, new JsonWhere(scope.Path, "Attribute"), scope);
                }
                else
                {
                    SkipProperty(ref reader);
                }
            }

            MispAttributeMapper.MapObject(scope, builder, issues, skipped);
        }
    }

    /// <summary>
    /// Top-level attributes are mapped as soon as they are read; an object's wait in <paramref name="scope"/> because the
    /// object's name and its context attributes may come after them.
    /// </summary>
    private void ReadAttributes(ref Utf8JsonReader reader, MispEventBuilder builder, JsonWhere where, MispObjectScope? scope)
    {
        if (!Expect(ref reader, JsonTokenType.StartArray, where with { Field = where.Array, Array = null }))
        {
            return;
        }

        var index = 0;
        while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            var at = where with { Index = index++ };
            if (!Expect(ref reader, JsonTokenType.StartObject, at))
            {
                continue;
            }

            if (++builder.AttributeCount > options.MaxAttributesPerEvent)
            {
                var name = builder.Path.Length == 0 ? "the event" : builder.Path;
                throw new MispInputException(LineOf(ref reader), $"{name} has more than {options.MaxAttributesPerEvent} attributes, the limit.");
            }

            var attribute = ReadAttribute(ref reader, at);
            if (scope is null)
            {
                MispAttributeMapper.Map(attribute, null, builder, issues, skipped);
            }
            else
            {
                scope.Attributes.Add(attribute);
            }
        }
    }

    private MispRawAttribute ReadAttribute(ref Utf8JsonReader reader, JsonWhere at)
    {
        var attribute = new MispRawAttribute { Where = at, Line = LineOf(ref reader) };
        attribute.ValueLine = attribute.Line;
        while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("value"u8))
            {
                Value(ref reader);
                attribute.ValueLine = LineOf(ref reader);
                var before = issues.Count;
                attribute.Value = ReadString(ref reader, at.With("value"));
                attribute.ValueRejected = issues.Count > before;
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                Value(ref reader);
                attribute.Type = ReadString(ref reader, at.With("type"))?.Trim();
            }
            else if (reader.ValueTextEquals("Tag"u8))
            {
                Value(ref reader);
                ReadTags(ref reader, at.ToString(), attribute.Tags);
            }
            else if (!ReadAttributeScalar(ref reader, attribute, at))
            {
                SkipProperty(ref reader);
            }
        }

        return attribute;
    }

    private bool ReadAttributeScalar(ref Utf8JsonReader reader, MispRawAttribute attribute, JsonWhere at)
    {
        if (reader.ValueTextEquals("category"u8))
        {
            Value(ref reader);
            attribute.Category = ReadString(ref reader, at.With("category"));
        }
        else if (reader.ValueTextEquals("comment"u8))
        {
            Value(ref reader);
            attribute.Comment = ReadString(ref reader, at.With("comment"));
        }
        else if (reader.ValueTextEquals("uuid"u8))
        {
            Value(ref reader);
            attribute.Uuid = ReadString(ref reader, at.With("uuid"));
        }
        else if (reader.ValueTextEquals("object_relation"u8))
        {
            Value(ref reader);
            attribute.Relation = ReadString(ref reader, at.With("object_relation"));
        }
        else if (reader.ValueTextEquals("first_seen"u8))
        {
            Value(ref reader);
            attribute.FirstSeen = ReadString(ref reader, at.With("first_seen"));
        }
        else if (reader.ValueTextEquals("last_seen"u8))
        {
            Value(ref reader);
            attribute.LastSeen = ReadString(ref reader, at.With("last_seen"));
        }
        else if (reader.ValueTextEquals("to_ids"u8))
        {
            Value(ref reader);
            attribute.ToIds = ReadBool(ref reader, at.With("to_ids"));
        }
        else if (reader.ValueTextEquals("deleted"u8))
        {
            Value(ref reader);
            attribute.Deleted = ReadBool(ref reader, at.With("deleted"));
        }
        else
        {
            return false;
        }

        return true;
    }
}
