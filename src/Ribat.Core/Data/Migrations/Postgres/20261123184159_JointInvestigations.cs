using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerNode = table.Column<Guid>(type: "uuid", nullable: true),
                    Tlp = table.Column<int>(type: "integer", nullable: false),
                    Pap = table.Column<int>(type: "integer", nullable: false),
                    Distribution = table.Column<int>(type: "integer", nullable: false),
                    SharingGroupId = table.Column<Guid>(type: "uuid", nullable: true),
                    Handling = table.Column<int>(type: "integer", nullable: false),
                    HandlingConditions = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Evaluation = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Offences = table.Column<List<string>>(type: "text[]", nullable: false),
                    NationalCategories = table.Column<List<string>>(type: "text[]", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    LeadInvestigator = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    MembersJson = table.Column<string>(type: "character varying(200000)", maxLength: 200000, nullable: false),
                    EvidenceJson = table.Column<string>(type: "character varying(2000000)", maxLength: 2000000, nullable: false),
                    Modified = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    ModifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    WithdrawnAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_joint_cases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "joint_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerNode = table.Column<Guid>(type: "uuid", nullable: true),
                    Tlp = table.Column<int>(type: "integer", nullable: false),
                    Pap = table.Column<int>(type: "integer", nullable: false),
                    Distribution = table.Column<int>(type: "integer", nullable: false),
                    SharingGroupId = table.Column<Guid>(type: "uuid", nullable: true),
                    Handling = table.Column<int>(type: "integer", nullable: false),
                    HandlingConditions = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Evaluation = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: true),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Text = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    AuthorName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Modified = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    ModifiedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
