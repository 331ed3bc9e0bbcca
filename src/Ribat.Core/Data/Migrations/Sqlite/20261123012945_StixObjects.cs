using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StixObjects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "stix_objects",
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
                    StixId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 288, nullable: false),
                    Type = table.Column<string>(type: "TEXT", unicode: false, maxLength: 250, nullable: false),
                    SpecVersion = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: false),
                    Version = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    VersionAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DateAdded = table.Column<long>(type: "INTEGER", nullable: false),
                    Origin = table.Column<int>(type: "INTEGER", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RibatObjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stix_objects", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "taxii_statuses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_taxii_statuses", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_stix_objects_DateAdded",
                table: "stix_objects",
                column: "DateAdded",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_stix_objects_OwnerOrganisationId_DateAdded",
                table: "stix_objects",
                columns: new[] { "OwnerOrganisationId", "DateAdded" });

            migrationBuilder.CreateIndex(
                name: "IX_stix_objects_RibatObjectId",
                table: "stix_objects",
                column: "RibatObjectId",
                filter: "\"RibatObjectId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_stix_objects_StixId_VersionAt",
                table: "stix_objects",
                columns: new[] { "StixId", "VersionAt" });

            migrationBuilder.CreateIndex(
                name: "IX_taxii_statuses_OrganisationId_RequestedAt",
                table: "taxii_statuses",
                columns: new[] { "OrganisationId", "RequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "stix_objects");

            migrationBuilder.DropTable(
                name: "taxii_statuses");
        }
    }
}
