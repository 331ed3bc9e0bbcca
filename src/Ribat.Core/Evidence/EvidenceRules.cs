using Ribat.Core.Audit;
using Ribat.Core.Common;
using Ribat.Core.Tenancy;

namespace Ribat.Core.Evidence;

internal static class EvidenceRules
{
    public const int MaxText = 500;
    public const int MaxNotes = 4000;

    public static Validation Validate(AcquisitionInput input)
    {
        var v = new Validation()
            .Require(!string.IsNullOrWhiteSpace(input.FileName), "fileName", "Name the file (its original name).")
            .Require(input.FileName is null || input.FileName.Trim().Length <= 255, "fileName", "The file name is at most 255 characters.")
            .RequirePrintable(input.FileName, "fileName")
            .Require(input.Description is null || input.Description.Length <= MaxNotes, "description", $"The description is at most {MaxNotes} characters.")
            .Require(input.Notes is null || input.Notes.Length <= MaxNotes, "notes", $"The notes are at most {MaxNotes} characters.");
        foreach (var (field, value) in new[]
                 {
                     ("acquiredWhere", input.AcquiredWhere), ("method", input.Method), ("tool", input.Tool), ("toolVersion", input.ToolVersion),
                     ("sourceDevice", input.SourceDevice), ("sealNumber", input.SealNumber),
                 })
        {
            v.Require(value is null || value.Trim().Length <= MaxText, field, $"{field} is at most {MaxText} characters.").RequirePrintable(value, field);
        }

        return v;
    }

    public static EvidenceItem NewItem(EvidenceParent parent, Guid owner, AcquisitionInput input, FileDigests digests, Actor actor, Guid userId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        CaseId = parent.CaseId,
        IncidentId = parent.IncidentId,
        OwnerOrganisationId = owner,
        FileName = Path.GetFileName(input.FileName!.Trim().Replace('\\', '/')) is { Length: > 0 } name ? name : input.FileName.Trim(),
        Description = Clean(input.Description),
        Size = digests.Size,
        Md5 = digests.Md5,
        Sha1 = digests.Sha1,
        Sha256 = digests.Sha256,
        AcquiredBy = userId,
        AcquiredByName = actor.Name.Length <= 256 ? actor.Name : actor.Name[..256],
        AcquiredAt = AuditChain.Normalise(input.AcquiredAt ?? now),
        AcquiredWhere = Clean(input.AcquiredWhere),
        Method = Clean(input.Method),
        Tool = Clean(input.Tool),
        ToolVersion = Clean(input.ToolVersion),
        SourceDevice = Clean(input.SourceDevice),
        SealNumber = Clean(input.SealNumber),
        Notes = Clean(input.Notes),
        RecordedAt = AuditChain.Normalise(now),
        HolderId = userId,
        CurrentSeal = Clean(input.SealNumber),
        State = EvidenceState.Held,
    };

    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
