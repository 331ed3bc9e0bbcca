using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CaseMoneyFlows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "case_money_flows",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    EvidenceId = table.Column<Guid>(type: "uuid", nullable: false),
                    FromSubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    ToSubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    TotalsJson = table.Column<string>(type: "character varying(16000)", maxLength: 16000, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    FirstAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_money_flows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_money_flows_case_subjects_FromSubjectId",
                        column: x => x.FromSubjectId,
                        principalTable: "case_subjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_case_money_flows_case_subjects_ToSubjectId",
                        column: x => x.ToSubjectId,
                        principalTable: "case_subjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_case_money_flows_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_case_money_flows_evidence_items_EvidenceId",
                        column: x => x.EvidenceId,
                        principalTable: "evidence_items",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_case_money_flows_CaseId",
                table: "case_money_flows",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_case_money_flows_EvidenceId_FromSubjectId_ToSubjectId",
                table: "case_money_flows",
                columns: new[] { "EvidenceId", "FromSubjectId", "ToSubjectId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_money_flows_FromSubjectId",
                table: "case_money_flows",
                column: "FromSubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_case_money_flows_ToSubjectId",
                table: "case_money_flows",
                column: "ToSubjectId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_money_flows");
        }
    }
}
