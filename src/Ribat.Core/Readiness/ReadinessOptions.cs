namespace Ribat.Core.Readiness;

/// <summary>How long an alert to the person on duty may wait for acknowledgement before the whole organisation is told.</summary>
public sealed class ReadinessOptions
{
    public const string Section = "Ribat:Readiness";

    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromMinutes(15);
}
