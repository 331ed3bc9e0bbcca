using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class JointInvestigations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "joint_cases",
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
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Offences = table.Column<string>(type: "TEXT", nullable: false),
                    NationalCategories = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LeadInvestigator = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    MembersJson = table.Column<string>(type: "TEXT", maxLength: 200000, nullable: false),
                    EvidenceJson = table.Column<string>(type: "TEXT", maxLength: 2000000, nullable: false),
                    Modified = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    ModifiedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WithdrawnAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_joint_cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "joint_entries",
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
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Modified = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    ModifiedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_joint_entries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_joint_cases_OwnerOrganisationId",
                table: "joint_cases",
                column: "OwnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_joint_entries_CaseId_ModifiedAt",
                table: "joint_entries",
                columns: new[] { "CaseId", "ModifiedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_joint_entries_OwnerOrganisationId",
                table: "joint_entries",
                column: "OwnerOrganisationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "joint_cases");

            migrationBuilder.DropTable(
                name: "joint_entries");
        }
    }
}
