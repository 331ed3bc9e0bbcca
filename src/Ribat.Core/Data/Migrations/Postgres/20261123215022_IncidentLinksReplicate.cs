using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// An incident link becomes an object of its own (an id and a STIX id, its organisation's node), naming its target by
    /// STIX id or holding a typed value. The table is rebuilt: each existing link gets a fresh id, and its target's STIX
    /// id is the one Ribat gives the indicator or report.
    /// </summary>
    public partial class IncidentLinksReplicate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_incident_links_TargetId",
                table: "incident_links");

            // PostgreSQL names a primary key's index in the schema: the old one goes before the new table takes its name.
            migrationBuilder.DropPrimaryKey(
                name: "PK_incident_links",
                table: "incident_links");

            migrationBuilder.RenameTable(
                name: "incident_links",
                newName: "incident_links_old");

            migrationBuilder.CreateTable(
                name: "incident_links",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StixId = table.Column<string>(type: "character varying(80)", unicode: false, maxLength: 80, nullable: false),
                    IncidentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TargetId = table.Column<Guid>(type: "uuid", nullable: true),
                    TargetStixId = table.Column<string>(type: "character varying(100)", unicode: false, maxLength: 100, nullable: true),
                    ValueType = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: true),
                    Value = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: true),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationNode = table.Column<Guid>(type: "uuid", nullable: true),
                    LinkedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    LinkedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_links", x => x.Id);
                    table.ForeignKey(
                        name: "FK_incident_links_incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.Sql("""
                INSERT INTO incident_links ("Id", "StixId", "IncidentId", "Kind", "TargetId", "TargetStixId", "OrganisationId", "LinkedAt")
                SELECT gen_random_uuid(), md5("IncidentId"::text || "Kind" || "TargetId"::text), "IncidentId", "Kind", "TargetId",
                       CASE "Kind" WHEN 'Indicator' THEN 'indicator--' ELSE 'report--' END || "TargetId"::text, "OrganisationId", "LinkedAt"
                FROM incident_links_old
                """);
            migrationBuilder.Sql("""
                UPDATE incident_links SET "StixId" = 'x-ribat-incident-link--' || "Id"::text
                """);
            migrationBuilder.DropTable(
                name: "incident_links_old");

            migrationBuilder.CreateIndex(
                name: "IX_incident_links_IncidentId_LinkedAt",
                table: "incident_links",
                columns: new[] { "IncidentId", "LinkedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_incident_links_StixId",
                table: "incident_links",
                column: "StixId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_incident_links_TargetId",
                table: "incident_links",
                column: "TargetId");

            migrationBuilder.CreateIndex(
                name: "IX_incident_links_TargetStixId",
                table: "incident_links",
                column: "TargetStixId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Value links, and links made on partner nodes to objects with no row here, have no place in the older table.
            migrationBuilder.DropIndex(name: "IX_incident_links_IncidentId_LinkedAt", table: "incident_links");
            migrationBuilder.DropIndex(name: "IX_incident_links_StixId", table: "incident_links");
            migrationBuilder.DropIndex(name: "IX_incident_links_TargetId", table: "incident_links");
            migrationBuilder.DropIndex(name: "IX_incident_links_TargetStixId", table: "incident_links");
            migrationBuilder.DropPrimaryKey(name: "PK_incident_links", table: "incident_links");
            migrationBuilder.RenameTable(name: "incident_links", newName: "incident_links_new");
            migrationBuilder.CreateTable(
                name: "incident_links",
                columns: table => new
                {
                    IncidentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TargetId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    LinkedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_incident_links", x => new { x.IncidentId, x.Kind, x.TargetId });
                    table.ForeignKey(
                        name: "FK_incident_links_incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
            migrationBuilder.Sql("""
                INSERT INTO incident_links ("IncidentId", "Kind", "TargetId", "OrganisationId", "LinkedAt")
                SELECT "IncidentId", "Kind", "TargetId", (array_agg("OrganisationId" ORDER BY "LinkedAt"))[1], MIN("LinkedAt") FROM incident_links_new
                WHERE "TargetId" IS NOT NULL AND "Kind" <> 'Value'
                GROUP BY "IncidentId", "Kind", "TargetId"
                """);
            migrationBuilder.DropTable(name: "incident_links_new");
            migrationBuilder.CreateIndex(
                name: "IX_incident_links_TargetId",
                table: "incident_links",
                column: "TargetId");
        }
    }
}
