using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// An indicator row stands for its current STIX versions (ADR 0017): the date added of its <c>indicator</c> version,
    /// with the indexes in time order that page them, and its observable's id (not indexed). Rows recorded before keep
    /// their versions in <c>stix_objects</c> until their next change.
    /// </summary>
    public partial class IndicatorRowsServeStix : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ObservableId",
                table: "indicators",
                type: "character varying(288)",
                unicode: false,
                maxLength: 288,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "StixDateAdded",
                table: "indicators",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_indicators_OwnerOrganisationId_StixDateAdded",
                table: "indicators",
                columns: new[] { "OwnerOrganisationId", "StixDateAdded" });

            migrationBuilder.CreateIndex(
                name: "IX_indicators_StixDateAdded",
                table: "indicators",
                column: "StixDateAdded",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_indicators_OwnerOrganisationId_StixDateAdded",
                table: "indicators");

            migrationBuilder.DropIndex(
                name: "IX_indicators_StixDateAdded",
                table: "indicators");

            migrationBuilder.DropColumn(
                name: "ObservableId",
                table: "indicators");

            migrationBuilder.DropColumn(
                name: "StixDateAdded",
                table: "indicators");
        }
    }
}
