using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// On SQLite the value index of indicators becomes a key table in three parts, recent, middle and sorted, whose
    /// entries name rows by sequence number (ADR 0019), with a view over the three; the index is dropped, the sorted part
    /// is filled from the rows in key order, and the triggers follow the value keys too.
    /// </summary>
    public partial class IndicatorValueKeyTables : Migration
    {
        // The old row's entries, from whichever part holds them.
        private const string Forget = """
            DELETE FROM indicator_address_keys WHERE "Address" = OLD."Address" AND "Seq" = OLD."Seq";
                DELETE FROM indicator_address_keys_recent WHERE "Address" = OLD."Address" AND "Seq" = OLD."Seq";
                DELETE FROM indicator_domain_keys WHERE "RegisteredDomain" = OLD."RegisteredDomain" AND "CreatedAt" = OLD."CreatedAt" AND "Seq" = OLD."Seq";
                DELETE FROM indicator_domain_keys_recent WHERE "RegisteredDomain" = OLD."RegisteredDomain" AND "CreatedAt" = OLD."CreatedAt" AND "Seq" = OLD."Seq";
                DELETE FROM indicator_value_keys WHERE "ValueKey" = OLD."ValueKey" AND "DuplicateKey" = OLD."DuplicateKey" AND "Seq" = OLD."Seq";
                DELETE FROM indicator_value_keys_middle WHERE "ValueKey" = OLD."ValueKey" AND "DuplicateKey" = OLD."DuplicateKey" AND "Seq" = OLD."Seq";
                DELETE FROM indicator_value_keys_recent WHERE "ValueKey" = OLD."ValueKey" AND "DuplicateKey" = OLD."DuplicateKey" AND "Seq" = OLD."Seq";
            """;

        // Written out here rather than taken from KeyTables, so that this step stays what it was when later ones change the tables.
        private static readonly string[] Create =
        [
            "DROP TRIGGER indicators_keys_removed",
            "DROP TRIGGER indicators_keys_changed",
            """DROP INDEX "IX_indicators_ValueKey_DuplicateKey" """,
            """CREATE TABLE indicator_value_keys ("ValueKey" INTEGER NOT NULL, "DuplicateKey" INTEGER NOT NULL, "Seq" INTEGER NOT NULL, PRIMARY KEY ("ValueKey", "DuplicateKey", "Seq")) WITHOUT ROWID""",
            """CREATE TABLE indicator_value_keys_middle ("ValueKey" INTEGER NOT NULL, "DuplicateKey" INTEGER NOT NULL, "Seq" INTEGER NOT NULL, PRIMARY KEY ("ValueKey", "DuplicateKey", "Seq")) WITHOUT ROWID""",
            """CREATE TABLE indicator_value_keys_recent ("ValueKey" INTEGER NOT NULL, "DuplicateKey" INTEGER NOT NULL, "Seq" INTEGER NOT NULL, PRIMARY KEY ("ValueKey", "DuplicateKey", "Seq")) WITHOUT ROWID""",
            """
            CREATE VIEW indicator_value_keys_all AS
                SELECT "ValueKey", "DuplicateKey", "Seq" FROM indicator_value_keys
                UNION ALL SELECT "ValueKey", "DuplicateKey", "Seq" FROM indicator_value_keys_middle
                UNION ALL SELECT "ValueKey", "DuplicateKey", "Seq" FROM indicator_value_keys_recent
            """,
            $"""
            CREATE TRIGGER indicators_keys_removed AFTER DELETE ON indicators BEGIN
                {Forget}
            END
            """,
            $"""
            CREATE TRIGGER indicators_keys_changed AFTER UPDATE OF "Seq", "Address", "RegisteredDomain", "CreatedAt", "ValueKey", "DuplicateKey" ON indicators
            WHEN OLD."Seq" IS NOT NEW."Seq" OR OLD."Address" IS NOT NEW."Address" OR OLD."RegisteredDomain" IS NOT NEW."RegisteredDomain" OR OLD."CreatedAt" IS NOT NEW."CreatedAt"
                OR OLD."ValueKey" IS NOT NEW."ValueKey" OR OLD."DuplicateKey" IS NOT NEW."DuplicateKey"
            BEGIN
                {Forget}
                INSERT INTO indicator_address_keys_recent SELECT NEW."Address", NEW."Seq" WHERE NEW."Address" IS NOT NULL;
                INSERT INTO indicator_domain_keys_recent SELECT NEW."RegisteredDomain", NEW."CreatedAt", NEW."Seq" WHERE NEW."RegisteredDomain" IS NOT NULL;
                INSERT INTO indicator_value_keys_recent SELECT NEW."ValueKey", NEW."DuplicateKey", NEW."Seq";
            END
            """,
            """INSERT INTO indicator_value_keys SELECT "ValueKey", "DuplicateKey", "Seq" FROM indicators ORDER BY "ValueKey", "DuplicateKey", "Seq" """,
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in Create)
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            string[] drop =
            [
                "DROP TRIGGER indicators_keys_removed",
                "DROP TRIGGER indicators_keys_changed",
                "DROP VIEW indicator_value_keys_all",
                "DROP TABLE indicator_value_keys",
                "DROP TABLE indicator_value_keys_middle",
                "DROP TABLE indicator_value_keys_recent",
                """CREATE INDEX "IX_indicators_ValueKey_DuplicateKey" ON indicators ("ValueKey", "DuplicateKey")""",
            ];
            foreach (var statement in drop.Append(IndicatorSequence.RemovedTrigger).Append(IndicatorSequence.ChangedTrigger))
            {
                migrationBuilder.Sql(statement);
            }
        }
    }
}
