namespace Ribat.Core.Sharing;

/// <summary>How reliable the source has proved (the 4x4 system of Europol and UK policing).</summary>
public enum SourceReliability
{
    /// <summary>No doubt about the source, or reliable in every instance so far.</summary>
    A,

    /// <summary>Reliable in most instances.</summary>
    B,

    /// <summary>Unreliable in most instances.</summary>
    C,

    /// <summary>Cannot be assessed.</summary>
    X,
}

/// <summary>How far the information itself can be trusted.</summary>
public enum InformationAssessment
{
    /// <summary>Accuracy not in doubt.</summary>
    Known = 1,

    /// <summary>Known personally to the source, not to the official passing it on.</summary>
    KnownToSource = 2,

    /// <summary>Not known personally to the source, but corroborated by information already held.</summary>
    Corroborated = 3,

    /// <summary>Not known personally to the source and not corroborated.</summary>
    Uncorroborated = 4,
}

/// <summary>A 4x4 evaluation such as "B2". It informs the reader; it never changes who may see what.</summary>
public readonly record struct Evaluation(SourceReliability Source, InformationAssessment Information)
{
    public static IReadOnlyList<Evaluation> All { get; } =
        Enum.GetValues<SourceReliability>()
            .SelectMany(s => Enum.GetValues<InformationAssessment>().Select(i => new Evaluation(s, i)))
            .ToArray();

    public string Spell() => $"{Source}{(int)Information}";

    public override string ToString() => Spell();

    public static bool TryParse(string? text, out Evaluation evaluation)
    {
        evaluation = default;
        var code = text?.Trim();
        if (code is not { Length: 2 })
        {
            return false;
        }

        SourceReliability? source = char.ToUpperInvariant(code[0]) switch
        {
            'A' => SourceReliability.A,
            'B' => SourceReliability.B,
            'C' => SourceReliability.C,
            'X' => SourceReliability.X,
            _ => null,
        };
        if (source is null || code[1] is < '1' or > '4')
        {
            return false;
        }

        evaluation = new Evaluation(source.Value, (InformationAssessment)(code[1] - '0'));
        return true;
    }
}
