using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CorrelationIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_indicators_Address",
                table: "indicators");

            migrationBuilder.DropIndex(
                name: "IX_indicators_OwnerOrganisationId",
                table: "indicators");

            migrationBuilder.DropIndex(
                name: "IX_indicators_RegisteredDomain",
                table: "indicators");

            migrationBuilder.DropIndex(
                name: "IX_indicators_ValueKey",
                table: "indicators");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_Address",
                table: "indicators",
                column: "Address",
                filter: "\"Address\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_OwnerOrganisationId_ReportId_ValueKey",
                table: "indicators",
                columns: new[] { "OwnerOrganisationId", "ReportId", "ValueKey" });

            migrationBuilder.CreateIndex(
                name: "IX_indicators_RegisteredDomain_CreatedAt",
                table: "indicators",
                columns: new[] { "RegisteredDomain", "CreatedAt" },
                filter: "\"RegisteredDomain\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_ValueKey_CreatedAt",
                table: "indicators",
                columns: new[] { "ValueKey", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_indicators_Address",
                table: "indicators");

            migrationBuilder.DropIndex(
                name: "IX_indicators_OwnerOrganisationId_ReportId_ValueKey",
                table: "indicators");

            migrationBuilder.DropIndex(
                name: "IX_indicators_RegisteredDomain_CreatedAt",
                table: "indicators");

            migrationBuilder.DropIndex(
                name: "IX_indicators_ValueKey_CreatedAt",
                table: "indicators");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_Address",
                table: "indicators",
                column: "Address");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_OwnerOrganisationId",
                table: "indicators",
                column: "OwnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_RegisteredDomain",
                table: "indicators",
                column: "RegisteredDomain");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_ValueKey",
                table: "indicators",
                column: "ValueKey");
        }
    }
}
