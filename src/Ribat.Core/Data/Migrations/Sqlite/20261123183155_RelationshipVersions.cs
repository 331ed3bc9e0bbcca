using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RelationshipVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "case_relationships",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // A relationship recorded before edits existed is at its first version: the time it was created.
            migrationBuilder.Sql("UPDATE case_relationships SET \"UpdatedAt\" = \"CreatedAt\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "case_relationships");
        }
    }
}
