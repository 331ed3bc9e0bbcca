using Ribat.Core.Cases.Subjects;

namespace Ribat.Web.Components.Pages.Cases;

/// <summary>
/// What the subject form holds while it is being typed, for a new subject or an edit of a saved one. It keeps the
/// version an edit was made from (<see cref="BaseUpdatedAt"/>), so a save made on a stale copy is refused by the
/// store, and the typed text survives the refusal.
/// </summary>
public sealed class SubjectForm
{
    public string Kind { get; set; } = "person";

    public string? Name { get; set; }

    public string? Value { get; set; }

    /// <summary>The identifier's value type, or null to let the store pick the first of the kind's types that fits.</summary>
    public string? ValueType { get; set; }

    /// <summary>One alias a line, so an alias may hold a comma ("Dupont, Jean").</summary>
    public string? Aliases { get; set; }

    public DateTime? DateOfBirth { get; set; }

    public DateTime? IncorporatedOn { get; set; }

    /// <summary>ISO 3166 codes separated by commas or spaces.</summary>
    public string? Countries { get; set; }

    public List<AttributeRow> Attributes { get; } = [];

    public string? Notes { get; set; }

    public string SourceKind { get; set; } = "text";

    public Guid? SourceId { get; set; }

    public string? SourceText { get; set; }

    /// <summary>The saved version an edit was made from; null for a new subject.</summary>
    public DateTimeOffset? BaseUpdatedAt { get; set; }

    public bool IsIdentifier => SubjectKinds.TryParse(Kind, out var kind) && kind.IsIdentifier();

    public bool IsPerson => Kind == "person";

    public bool IsOrganisation => Kind == "organisation";

    /// <summary>The value types the kind holds, when there is a choice to make.</summary>
    public IReadOnlyList<string> ValueTypes => SubjectKinds.TryParse(Kind, out var kind) ? SubjectKinds.ValueTypesOf(kind) : [];

    /// <summary>A source of kind text says where the subject is known from; the others name an item and may add a note.</summary>
    public bool MaySave => SourceKind != "text" || !string.IsNullOrWhiteSpace(SourceText);

    public static SubjectForm Of(SubjectDto subject)
    {
        var form = new SubjectForm
        {
            Kind = subject.Kind,
            Name = subject.Name,
            Value = subject.Display ?? subject.Value,
            ValueType = subject.ValueType,
            Aliases = string.Join('\n', subject.Aliases),
            DateOfBirth = subject.DateOfBirth?.ToDateTime(TimeOnly.MinValue),
            IncorporatedOn = subject.IncorporatedOn?.ToDateTime(TimeOnly.MinValue),
            Countries = string.Join(", ", subject.Nationalities),
            Notes = subject.Notes,
            SourceKind = subject.Source.Kind,
            SourceId = subject.Source.Id,
            SourceText = subject.Source.Text,
            BaseUpdatedAt = subject.UpdatedAt,
        };
        form.Attributes.AddRange(subject.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new AttributeRow { Key = a.Key, Value = a.Value }));
        return form;
    }

    /// <summary>Empties what describes one subject and keeps the kind and source, for adding the next one.</summary>
    public SubjectForm Next() => new() { Kind = Kind, SourceKind = SourceKind, SourceId = SourceId, SourceText = SourceText };

    /// <summary>
    /// The input to send, or the name of the attribute that appears twice (the store keeps attributes by name). Rows
    /// left wholly empty are dropped; the store checks everything else and names what it refuses.
    /// </summary>
    public (SubjectInput? Input, string? RepeatedAttribute) ToInput()
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Attributes.Where(r => !string.IsNullOrWhiteSpace(r.Key) || !string.IsNullOrWhiteSpace(r.Value)))
        {
            // A row without a name goes on as one nameless attribute, for the store to name what is missing.
            var key = row.Key?.Trim() ?? string.Empty;
            if (!attributes.TryAdd(key, row.Value ?? string.Empty) && key.Length > 0)
            {
                return (null, key);
            }
        }

        var identifier = IsIdentifier;
        return (new SubjectInput(
            Kind,
            new SourceInput(SourceKind, SourceId, SourceText),
            identifier ? Value : null,
            identifier ? ValueType : null,
            Name,
            Lines(Aliases),
            IsPerson && DateOfBirth is { } born ? DateOnly.FromDateTime(born) : null,
            IsOrganisation && IncorporatedOn is { } incorporated ? DateOnly.FromDateTime(incorporated) : null,
            IsPerson || IsOrganisation ? Codes(Countries) : null,
            attributes,
            Notes,
            BaseUpdatedAt), null);
    }

    /// <summary>The typed edit shown as a subject, to set beside the version saved meanwhile; nothing of it is checked or stored.</summary>
    public SubjectDto Preview(SubjectDto saved)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Attributes.Where(r => !string.IsNullOrWhiteSpace(r.Key)))
        {
            attributes[row.Key!.Trim()] = row.Value?.Trim() ?? string.Empty;
        }

        var identifier = IsIdentifier;
        var name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim();
        var value = identifier && !string.IsNullOrWhiteSpace(Value) ? Value.Trim() : null;
        return saved with
        {
            Label = name ?? value ?? saved.Label,
            Name = name,
            Value = value,
            Display = value,
            ValueType = identifier ? ValueType ?? saved.ValueType : null,
            Aliases = Lines(Aliases),
            DateOfBirth = IsPerson && DateOfBirth is { } born ? DateOnly.FromDateTime(born) : null,
            IncorporatedOn = IsOrganisation && IncorporatedOn is { } incorporated ? DateOnly.FromDateTime(incorporated) : null,
            Nationalities = IsPerson || IsOrganisation ? Codes(Countries).Select(c => c.ToUpperInvariant()).ToList() : [],
            Attributes = attributes,
            Notes = string.IsNullOrWhiteSpace(Notes) ? null : Notes.Trim(),
            Source = new SourceDto(SourceKind, SourceId, string.IsNullOrWhiteSpace(SourceText) ? null : SourceText.Trim()),
        };
    }

    private static List<string> Lines(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static List<string> Codes(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    public sealed class AttributeRow
    {
        public string? Key { get; set; }

        public string? Value { get; set; }
    }
}
