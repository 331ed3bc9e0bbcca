using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Intelligence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reports",
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
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Description = table.Column<string>(type: "character varying(100000)", maxLength: 100000, nullable: true),
                    ThreatActor = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    MalwareFamily = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    AttackTechniques = table.Column<List<string>>(type: "text[]", nullable: false),
                    Tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    FirstSeen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastSeen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    SourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "share_grants",
                columns: table => new
                {
                    ObjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationNode = table.Column<Guid>(type: "uuid", nullable: true),
                    GrantedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_share_grants", x => new { x.ObjectId, x.Kind, x.OrganisationId });
                });

            migrationBuilder.CreateTable(
                name: "sharing_groups",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerNode = table.Column<Guid>(type: "uuid", nullable: true),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Confidential = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sharing_groups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "warning_lists",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EntryCount = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<string>(type: "text", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    LoadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_warning_lists", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "indicators",
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
                    Type = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Value = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: false),
                    Display = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: false),
                    ValueKey = table.Column<long>(type: "bigint", nullable: false),
                    Address = table.Column<string>(type: "character varying(32)", unicode: false, maxLength: 32, nullable: true),
                    RegisteredDomain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    Pattern = table.Column<string>(type: "text", nullable: true),
                    ReportId = table.Column<Guid>(type: "uuid", nullable: true),
                    DuplicateKey = table.Column<long>(type: "bigint", nullable: false),
                    Comment = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    Confidence = table.Column<int>(type: "integer", nullable: false),
                    ValidFrom = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ValidUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FirstSeen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastSeen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ForDetection = table.Column<bool>(type: "boolean", nullable: false),
                    WarningList = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    WarningSuppressed = table.Column<bool>(type: "boolean", nullable: false),
                    FalsePositive = table.Column<bool>(type: "boolean", nullable: false),
                    SourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_indicators", x => x.Id);
                    table.ForeignKey(
                        name: "FK_indicators_reports_ReportId",
                        column: x => x.ReportId,
                        principalTable: "reports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sharing_group_members",
                columns: table => new
                {
                    SharingGroupId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationNode = table.Column<Guid>(type: "uuid", nullable: true),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sharing_group_members", x => new { x.SharingGroupId, x.OrganisationId });
                    table.ForeignKey(
                        name: "FK_sharing_group_members_sharing_groups_SharingGroupId",
                        column: x => x.SharingGroupId,
                        principalTable: "sharing_groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sightings",
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
                    IndicatorId = table.Column<Guid>(type: "uuid", nullable: false),
                    Type = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    Value = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: false),
                    ValueKey = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    FirstSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Comment = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sightings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_sightings_indicators_IndicatorId",
                        column: x => x.IndicatorId,
                        principalTable: "indicators",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_indicators_Address",
                table: "indicators",
                column: "Address",
                filter: "\"Address\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_RegisteredDomain_CreatedAt",
                table: "indicators",
                columns: new[] { "RegisteredDomain", "CreatedAt" },
                filter: "\"RegisteredDomain\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_ReportId_Id",
                table: "indicators",
                columns: new[] { "ReportId", "Id" },
                filter: "\"ReportId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_ValueKey_DuplicateKey",
                table: "indicators",
                columns: new[] { "ValueKey", "DuplicateKey" });

            migrationBuilder.CreateIndex(
                name: "IX_reports_OwnerOrganisationId",
                table: "reports",
                column: "OwnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_reports_SourceId",
                table: "reports",
                column: "SourceId");

            migrationBuilder.CreateIndex(
                name: "IX_share_grants_OrganisationId_Kind_ObjectId",
                table: "share_grants",
                columns: new[] { "OrganisationId", "Kind", "ObjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_sharing_group_members_OrganisationId",
                table: "sharing_group_members",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_sharing_groups_OwnerOrganisationId_Name",
                table: "sharing_groups",
                columns: new[] { "OwnerOrganisationId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sightings_IndicatorId_Id",
                table: "sightings",
                columns: new[] { "IndicatorId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_sightings_OwnerOrganisationId",
                table: "sightings",
                column: "OwnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_sightings_ValueKey",
                table: "sightings",
                column: "ValueKey");

            migrationBuilder.CreateIndex(
                name: "IX_warning_lists_Name",
                table: "warning_lists",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "share_grants");

            migrationBuilder.DropTable(
                name: "sharing_group_members");

            migrationBuilder.DropTable(
                name: "sightings");

            migrationBuilder.DropTable(
                name: "warning_lists");

            migrationBuilder.DropTable(
                name: "sharing_groups");

            migrationBuilder.DropTable(
                name: "indicators");

            migrationBuilder.DropTable(
                name: "reports");
        }
    }
}
