using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AnalysisJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "ChartPng",
                table: "findings",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EventAt",
                table: "findings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "JobId",
                table: "findings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "analysis_jobs",
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
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EvidenceIds = table.Column<string>(type: "TEXT", nullable: false),
                    MinLevel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    StartedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    StartedByRoles = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    HeartbeatAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Phase = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ProgressUnit = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ProgressDone = table.Column<long>(type: "INTEGER", nullable: false),
                    ProgressTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    Records = table.Column<long>(type: "INTEGER", nullable: false),
                    Detections = table.Column<long>(type: "INTEGER", nullable: false),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    CancelledBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    SummaryJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_analysis_jobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_analysis_jobs_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_analysis_jobs_CaseId_Id",
                table: "analysis_jobs",
                columns: new[] { "CaseId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_analysis_jobs_Status_Id",
                table: "analysis_jobs",
                columns: new[] { "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analysis_jobs");

            migrationBuilder.DropColumn(
                name: "ChartPng",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "EventAt",
                table: "findings");

            migrationBuilder.DropColumn(
                name: "JobId",
                table: "findings");
        }
    }
}
