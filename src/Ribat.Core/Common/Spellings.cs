namespace Ribat.Core.Common;

/// <summary>Reads an enum value back from its stable spelling on the wire (<c>in-progress</c>, <c>crypto-wallet</c> …).</summary>
public static class Spellings
{
    /// <summary>
    /// The value of <typeparamref name="T"/> that <paramref name="spell"/> writes as <paramref name="text"/>, compared
    /// after trimming and lower-casing; false, and the default value, when none does.
    /// </summary>
    public static bool TryParse<T>(string? text, Func<T, string> spell, out T value)
        where T : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(spell);
        var wanted = text?.Trim().ToLowerInvariant();
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (spell(candidate) == wanted)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
