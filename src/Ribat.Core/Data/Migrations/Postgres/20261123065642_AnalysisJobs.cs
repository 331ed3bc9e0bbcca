using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
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
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "EventAt",
                table: "findings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "JobId",
                table: "findings",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "analysis_jobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerNode = table.Column<Guid>(type: "uuid", nullable: true),
                    Tlp = table.Column<int>(type: "integer", nullable: false),
                    Pap = table.Column<int>(type: "integer", nullable: false),
                    Distribution = table.Column<int>(type: "integer", nullable: false),
                    SharingGroupId = table.Column<Guid>(type: "uuid", nullable: true),
                    Handling = table.Column<int>(type: "integer", nullable: false),
                    HandlingConditions = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Evaluation = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EvidenceIds = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    MinLevel = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    StartedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    StartedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    StartedByRoles = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    QueuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    HeartbeatAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Phase = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ProgressUnit = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ProgressDone = table.Column<long>(type: "bigint", nullable: false),
                    ProgressTotal = table.Column<long>(type: "bigint", nullable: false),
                    Records = table.Column<long>(type: "bigint", nullable: false),
                    Detections = table.Column<long>(type: "bigint", nullable: false),
                    CancelRequested = table.Column<bool>(type: "boolean", nullable: false),
                    CancelledBy = table.Column<Guid>(type: "uuid", nullable: true),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    SummaryJson = table.Column<string>(type: "text", nullable: true)
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
