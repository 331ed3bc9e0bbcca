using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Cases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerNode = table.Column<Guid>(type: "TEXT", nullable: true),
                    Tlp = table.Column<int>(type: "INTEGER", nullable: false),
                    Pap = table.Column<int>(type: "INTEGER", nullable: false),
                    Distribution = table.Column<int>(type: "INTEGER", nullable: false),
                    SharingGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Handling = table.Column<int>(type: "INTEGER", nullable: false),
                    HandlingConditions = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Evaluation = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    Offences = table.Column<string>(type: "TEXT", nullable: false),
                    NationalCategories = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    StatusChangedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeadInvestigatorId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "case_members",
                columns: table => new
                {
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_members", x => new { x.CaseId, x.UserId });
                    table.ForeignKey(
                        name: "FK_case_members_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "evidence_items",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerNode = table.Column<Guid>(type: "TEXT", nullable: true),
                    Tlp = table.Column<int>(type: "INTEGER", nullable: false),
                    Pap = table.Column<int>(type: "INTEGER", nullable: false),
                    Distribution = table.Column<int>(type: "INTEGER", nullable: false),
                    SharingGroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Handling = table.Column<int>(type: "INTEGER", nullable: false),
                    HandlingConditions = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Evaluation = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Md5 = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    Sha1 = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    AcquiredBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcquiredByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    AcquiredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AcquiredWhere = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Method = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Tool = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ToolVersion = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    SourceDevice = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    SealNumber = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HolderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PendingTransferTo = table.Column<Guid>(type: "TEXT", nullable: true),
                    CurrentSeal = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CustodyCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_evidence_items", x => x.Id);
                    table.ForeignKey(
                        name: "FK_evidence_items_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "custody_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    EvidenceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    FromUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ToUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SealNumber = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    VerifiedSha256 = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    AcquisitionDigest = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    PreviousHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_custody_entries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_custody_entries_evidence_items_EvidenceId",
                        column: x => x.EvidenceId,
                        principalTable: "evidence_items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_case_members_UserId",
                table: "case_members",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_cases_OwnerOrganisationId",
                table: "cases",
                column: "OwnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_cases_OwnerOrganisationId_Status",
                table: "cases",
                columns: new[] { "OwnerOrganisationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_custody_entries_EvidenceId_Sequence",
                table: "custody_entries",
                columns: new[] { "EvidenceId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_evidence_items_CaseId_Id",
                table: "evidence_items",
                columns: new[] { "CaseId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_evidence_items_OwnerOrganisationId",
                table: "evidence_items",
                column: "OwnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_evidence_items_Sha256",
                table: "evidence_items",
                column: "Sha256");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_members");

            migrationBuilder.DropTable(
                name: "custody_entries");

            migrationBuilder.DropTable(
                name: "evidence_items");

            migrationBuilder.DropTable(
                name: "cases");
        }
    }
}
