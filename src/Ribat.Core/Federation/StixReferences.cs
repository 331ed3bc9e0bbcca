using System.Text.Json;

namespace Ribat.Core.Federation;

/// <summary>
/// The identifiers an object refers to: every <c>*_ref</c> and <c>*_refs</c> value, at any depth. An empty string
/// names nothing (ATT&amp;CK writes one where it has no author) and is not a reference.
/// </summary>
internal static class StixReferences
{
    public static void Collect(JsonElement element, HashSet<string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.EndsWith("_ref", StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.String)
                    {
                        Add(property.Value.GetString()!, into);
                    }
                    else if (property.Name.EndsWith("_refs", StringComparison.Ordinal) && property.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var item in property.Value.EnumerateArray())
                        {
                            if (item.ValueKind == JsonValueKind.String)
                            {
                                Add(item.GetString()!, into);
                            }
                        }
                    }
                    else if (property.Name != "id")
                    {
                        Collect(property.Value, into);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, into);
                }

                break;
        }
    }

    private static void Add(string reference, HashSet<string> into)
    {
        if (reference.Length > 0)
        {
            into.Add(reference);
        }
    }
}
