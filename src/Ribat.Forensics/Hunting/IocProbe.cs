using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Hunting;

/// <summary>One value to look up in a batch (<see cref="IocSet.Contains(ReadOnlySpan{IocProbe}, Span{bool})"/>).</summary>
/// <param name="Type">The type the value must be held as.</param>
/// <param name="Value">The value in canonical form.</param>
public readonly record struct IocProbe(ObservableType Type, ReadOnlyMemory<char> Value)
{
    public IocProbe(ObservableType type, string value)
        : this(type, value.AsMemory())
    {
    }
}
