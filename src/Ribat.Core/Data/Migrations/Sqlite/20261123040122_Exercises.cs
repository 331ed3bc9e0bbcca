using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Exercises : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ExerciseId",
                table: "incidents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "exercises",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ScenarioHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    TimeScale = table.Column<double>(type: "REAL", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StartedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exercises", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "exercise_injects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExerciseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Line = table.Column<int>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ScenarioNode = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ScenarioOrganisation = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    PlannedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PlayedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    IncidentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TimelineEntryId = table.Column<Guid>(type: "TEXT", nullable: true),
                    NotificationId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exercise_injects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_exercise_injects_exercises_ExerciseId",
                        column: x => x.ExerciseId,
                        principalTable: "exercises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_incidents_ExerciseId",
                table: "incidents",
                column: "ExerciseId",
                filter: "\"ExerciseId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_exercise_injects_ExerciseId_PlannedAt",
                table: "exercise_injects",
                columns: new[] { "ExerciseId", "PlannedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_exercises_OwnerOrganisationId_StartedAt",
                table: "exercises",
                columns: new[] { "OwnerOrganisationId", "StartedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "exercise_injects");

            migrationBuilder.DropTable(
                name: "exercises");

            migrationBuilder.DropIndex(
                name: "IX_incidents_ExerciseId",
                table: "incidents");

            migrationBuilder.DropColumn(
                name: "ExerciseId",
                table: "incidents");
        }
    }
}
