using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Correlation keys become the first 64 bits of the observable's id. SQL cannot derive a UUIDv5, so the migration
    /// leaves the step to the node, which computes every stored key again right after (<see cref="StoreUpgrades"/>).
    /// </summary>
    public partial class ValueKeysFromObservables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.InsertData(
                table: "node_settings",
                columns: new[] { "Key", "Value" },
                values: new object[] { StoreUpgrades.ValueKeysFromObservables, "pending" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DeleteData(
                table: "node_settings",
                keyColumn: "Key",
                keyValue: StoreUpgrades.ValueKeysFromObservables);
        }
    }
}
