using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// The address and registered-domain indexes of indicators become tables in a sorted and a recent part (ADR 0018):
    /// a new row's entries are written with it, triggers follow changes and deletions, and the rows a store already
    /// holds fill the sorted parts here, in key order.
    /// </summary>
    public partial class IndicatorKeyTables : Migration
    {
        // The old row's entries, from whichever part holds them.
        private const string Forget = """
            DELETE FROM indicator_address_keys WHERE "Address" = OLD."Address" AND "IndicatorId" = OLD."Id";
                DELETE FROM indicator_address_keys_recent WHERE "Address" = OLD."Address" AND "IndicatorId" = OLD."Id";
                DELETE FROM indicator_domain_keys WHERE "RegisteredDomain" = OLD."RegisteredDomain" AND "CreatedAt" = OLD."CreatedAt" AND "IndicatorId" = OLD."Id";
                DELETE FROM indicator_domain_keys_recent WHERE "RegisteredDomain" = OLD."RegisteredDomain" AND "CreatedAt" = OLD."CreatedAt" AND "IndicatorId" = OLD."Id";
            """;

        // Written out here rather than taken from KeyTables, so that this step stays what it was when later ones change the tables.
        internal static readonly string[] Create =
        [
            """CREATE TABLE indicator_address_keys ("Address" TEXT NOT NULL, "IndicatorId" TEXT NOT NULL, PRIMARY KEY ("Address", "IndicatorId")) WITHOUT ROWID""",
            """CREATE TABLE indicator_address_keys_recent ("Address" TEXT NOT NULL, "IndicatorId" TEXT NOT NULL, PRIMARY KEY ("Address", "IndicatorId")) WITHOUT ROWID""",
            """CREATE TABLE indicator_domain_keys ("RegisteredDomain" TEXT NOT NULL, "CreatedAt" INTEGER NOT NULL, "IndicatorId" TEXT NOT NULL, PRIMARY KEY ("RegisteredDomain", "CreatedAt", "IndicatorId")) WITHOUT ROWID""",
            """CREATE TABLE indicator_domain_keys_recent ("RegisteredDomain" TEXT NOT NULL, "CreatedAt" INTEGER NOT NULL, "IndicatorId" TEXT NOT NULL, PRIMARY KEY ("RegisteredDomain", "CreatedAt", "IndicatorId")) WITHOUT ROWID""",
            $"""
            CREATE TRIGGER indicators_keys_removed AFTER DELETE ON indicators BEGIN
                {Forget}
            END
            """,
            $"""
            CREATE TRIGGER indicators_keys_changed AFTER UPDATE OF "Id", "Address", "RegisteredDomain", "CreatedAt" ON indicators
            WHEN OLD."Id" IS NOT NEW."Id" OR OLD."Address" IS NOT NEW."Address" OR OLD."RegisteredDomain" IS NOT NEW."RegisteredDomain" OR OLD."CreatedAt" IS NOT NEW."CreatedAt"
            BEGIN
                {Forget}
                INSERT INTO indicator_address_keys_recent SELECT NEW."Address", NEW."Id" WHERE NEW."Address" IS NOT NULL;
                INSERT INTO indicator_domain_keys_recent SELECT NEW."RegisteredDomain", NEW."CreatedAt", NEW."Id" WHERE NEW."RegisteredDomain" IS NOT NULL;
            END
            """,
            """INSERT INTO indicator_address_keys SELECT "Address", "Id" FROM indicators WHERE "Address" IS NOT NULL ORDER BY "Address", "Id" """,
            """INSERT INTO indicator_domain_keys SELECT "RegisteredDomain", "CreatedAt", "Id" FROM indicators WHERE "RegisteredDomain" IS NOT NULL ORDER BY "RegisteredDomain", "CreatedAt", "Id" """,
        ];

        private static readonly string[] Drop =
        [
            "DROP TRIGGER indicators_keys_removed",
            "DROP TRIGGER indicators_keys_changed",
            "DROP TABLE indicator_address_keys",
            "DROP TABLE indicator_address_keys_recent",
            "DROP TABLE indicator_domain_keys",
            "DROP TABLE indicator_domain_keys_recent",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_indicators_Address",
                table: "indicators");

            migrationBuilder.DropIndex(
                name: "IX_indicators_RegisteredDomain_CreatedAt",
                table: "indicators");

            foreach (var statement in Create)
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in Drop)
            {
                migrationBuilder.Sql(statement);
            }

            migrationBuilder.CreateIndex(
                name: "IX_indicators_Address",
                table: "indicators",
                column: "Address",
                filter: "\"Address\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_indicators_RegisteredDomain_CreatedAt",
                table: "indicators",
                columns: new[] { "RegisteredDomain", "CreatedAt" },
                filter: "\"RegisteredDomain\" IS NOT NULL");
        }
    }
}
