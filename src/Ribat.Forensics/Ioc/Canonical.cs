namespace Ribat.Forensics.Ioc;

/// <summary>
/// A validated observable. <see cref="Value"/> is the one spelling used for storage, de-duplication and matching;
/// <see cref="Display"/> is what a person reads (Unicode domain, grouped IBAN, EIP-55 address).
/// </summary>
public readonly record struct Canonical(ObservableType Type, string Value, string Display)
{
    internal static Canonical Same(ObservableType type, string value) => new(type, value, value);

    public override string ToString() => $"{Type.ToName()}:{Value}";
}
