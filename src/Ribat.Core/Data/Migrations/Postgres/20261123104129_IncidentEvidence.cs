using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IncidentEvidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "CaseId",
                table: "findings",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "IncidentId",
                table: "findings",
                type: "uuid",
                nullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "CaseId",
                table: "evidence_items",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "IncidentId",
                table: "evidence_items",
                type: "uuid",
                nullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "CaseId",
                table: "analysis_jobs",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "IncidentId",
                table: "analysis_jobs",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_findings_IncidentId_Id",
                table: "findings",
                columns: new[] { "IncidentId", "Id" });

            migrationBuilder.AddCheckConstraint(
                name: "CK_findings_parent",
                table: "findings",
                sql: "(\"CaseId\" IS NULL) <> (\"IncidentId\" IS NULL)");

            migrationBuilder.CreateIndex(
                name: "IX_evidence_items_IncidentId_Id",
                table: "evidence_items",
                columns: new[] { "IncidentId", "Id" });

            migrationBuilder.AddCheckConstraint(
                name: "CK_evidence_items_parent",
                table: "evidence_items",
                sql: "(\"CaseId\" IS NULL) <> (\"IncidentId\" IS NULL)");

            migrationBuilder.CreateIndex(
                name: "IX_analysis_jobs_IncidentId_Id",
                table: "analysis_jobs",
                columns: new[] { "IncidentId", "Id" });

            migrationBuilder.AddCheckConstraint(
                name: "CK_analysis_jobs_parent",
                table: "analysis_jobs",
                sql: "(\"CaseId\" IS NULL) <> (\"IncidentId\" IS NULL)");

            migrationBuilder.AddForeignKey(
                name: "FK_analysis_jobs_incidents_IncidentId",
                table: "analysis_jobs",
                column: "IncidentId",
                principalTable: "incidents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_evidence_items_incidents_IncidentId",
                table: "evidence_items",
                column: "IncidentId",
                principalTable: "incidents",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_analysis_jobs_incidents_IncidentId",
                table: "analysis_jobs");

            migrationBuilder.DropForeignKey(
                name: "FK_evidence_items_incidents_IncidentId",
                table: "evidence_items");

            migrationBuilder.DropIndex(
                name: "IX_findings_IncidentId_Id",
                table: "findings");

            migrationBuilder.DropCheckConstraint(
                name: "CK_findings_parent",
                table: "findings");

            migrationBuilder.DropIndex(
                name: "IX_evidence_items_IncidentId_Id",
                table: "evidence_items");

            migrationBuilder.DropCheckConstraint(
                name: "CK_evidence_items_parent",
                table: "evidence_items");

            migrationBuilder.DropIndex(
                name: "IX_analysis_jobs_IncidentId_Id",
                table: "analysis_jobs");

            migrationBuilder.DropCheckConstraint(
                name: "CK_analysis_jobs_parent",
                table: "analysis_jobs");

            migrationBuilder.DropColumn(
                name: "IncidentId",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "IncidentId",
                table: "evidence_items");

            migrationBuilder.DropColumn(
                name: "IncidentId",
                table: "analysis_jobs");

            migrationBuilder.AlterColumn<Guid>(
                name: "CaseId",
                table: "findings",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "CaseId",
                table: "evidence_items",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "CaseId",
                table: "analysis_jobs",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
