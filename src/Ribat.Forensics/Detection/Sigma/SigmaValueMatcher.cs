using System.Globalization;
using System.Text.RegularExpressions;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Detection;

/// <summary>One value of a field condition, compiled. Absent fields and null values reach the matcher too, because
/// <c>null</c> and <c>exists: false</c> match exactly those.</summary>
internal abstract class SigmaValueMatcher
{
    /// <summary>Text every matching value holds (case-folded), or null when a value without it, or no value, can match.</summary>
    public virtual string? Atom => null;

    public abstract bool IsMatch(in SigmaValue value);
}

internal sealed class PatternMatcher(SigmaPattern pattern) : SigmaValueMatcher
{
    public override string? Atom => pattern.Atom.Length > 0 ? pattern.Atom : null;

    public override bool IsMatch(in SigmaValue value)
    {
        if (value.Text is { } text)
        {
            return pattern.IsMatch(text);
        }

        // A field written but left empty comes out of EVTX as null; '' in a rule means exactly that emptiness.
        return value.Present && pattern.MatchesOnlyEmpty;
    }
}

/// <summary><c>field: null</c>: the field is missing, or present without a value.</summary>
internal sealed class NullMatcher : SigmaValueMatcher
{
    public static readonly NullMatcher Instance = new();

    public override bool IsMatch(in SigmaValue value) => value.Text is null;
}

internal sealed class ExistsMatcher(bool expected) : SigmaValueMatcher
{
    public override bool IsMatch(in SigmaValue value) => value.Present == expected;
}

/// <summary>
/// <c>|re</c>. Patterns run on .NET's non-backtracking engine (linear in the value, so a hostile pattern cannot stall
/// a hunt); only those it cannot run (back-references, look-arounds) fall back to the backtracking engine under a
/// match timeout, and a timeout counts as no match.
/// </summary>
internal sealed class RegexMatcher(Regex regex) : SigmaValueMatcher
{
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    public static bool TryCreate(string pattern, RegexOptions flags, out Regex? regex, out string reason)
    {
        regex = null;
        reason = "";
        try
        {
            regex = new Regex(pattern, flags | RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            return true;
        }
        catch (NotSupportedException)
        {
        }
        catch (ArgumentException exception)
        {
            reason = $"the regular expression '{YamlTree.Shorten(pattern)}' is not valid: {exception.Message}";
            return false;
        }

        try
        {
            regex = new Regex(pattern, flags | RegexOptions.CultureInvariant, MatchTimeout);
            return true;
        }
        catch (ArgumentException exception)
        {
            reason = $"the regular expression '{YamlTree.Shorten(pattern)}' is not valid: {exception.Message}";
            return false;
        }
    }

    /// <summary>How many matches gave up at the timeout, over the process's life.</summary>
    public static long Timeouts => Interlocked.Read(ref s_timeouts);

    private static long s_timeouts;

    public override bool IsMatch(in SigmaValue value)
    {
        if (value.Text is not { } text)
        {
            return false;
        }

        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            Interlocked.Increment(ref s_timeouts);
            return false;
        }
    }
}

internal sealed class CidrMatcher(IpBlock block) : SigmaValueMatcher
{
    public override bool IsMatch(in SigmaValue value)
    {
        if (value.Text is not { } text)
        {
            return false;
        }

        UInt128 address;
        if (!block.IsV6 && IpCanonicaliser.TryParseIPv4(text, out var v4, out _))
        {
            address = v4;
        }
        else if (block.IsV6 && IpCanonicaliser.TryParseIPv6(text, out var v6, out _))
        {
            address = v6;
        }
        else
        {
            return false;
        }

        return address >= block.First && address <= block.Last;
    }
}

/// <summary><c>|lt</c> <c>|lte</c> <c>|gt</c> <c>|gte</c>: the field must read as a number; one that does not never matches.</summary>
internal sealed class CompareMatcher(decimal bound, int sign, bool orEqual) : SigmaValueMatcher
{
    public override bool IsMatch(in SigmaValue value)
    {
        if (value.Text is not { } text
            || !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var order = number.CompareTo(bound);
        return order == 0 ? orEqual : Math.Sign(order) == sign;
    }
}

/// <summary><c>|fieldref</c>: the value is another field of the same event, compared whole or, with contains/startswith/
/// endswith, in part.</summary>
internal sealed class FieldReferenceMatcher(int otherSlot, SigmaFieldPart part, bool cased) : SigmaValueMatcher
{
    public override bool IsMatch(in SigmaValue value)
    {
        var view = value.View;
        if (value.Text is not { } text || view.Value(otherSlot) is not { } other)
        {
            return false;
        }

        var comparison = cased ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return part switch
        {
            SigmaFieldPart.Contains => text.Contains(other, comparison),
            SigmaFieldPart.StartsWith => text.StartsWith(other, comparison),
            SigmaFieldPart.EndsWith => text.EndsWith(other, comparison),
            _ => string.Equals(text, other, comparison),
        };
    }
}

internal enum SigmaFieldPart : byte
{
    Whole,
    Contains,
    StartsWith,
    EndsWith,
}
