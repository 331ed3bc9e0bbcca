using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Indicators get a sequence number, and the key tables name a row by it rather than by its id (ADR 0019): the
    /// rows a store holds are numbered in the order they were written, the key tables are made again with the number
    /// and filled in key order, and the triggers follow the number.
    /// </summary>
    public partial class IndicatorSequence : Migration
    {
        // The old row's entries, from whichever part holds them.
        private const string Forget = """
            DELETE FROM indicator_address_keys WHERE "Address" = OLD."Address" AND "Seq" = OLD."Seq";
                DELETE FROM indicator_address_keys_recent WHERE "Address" = OLD."Address" AND "Seq" = OLD."Seq";
                DELETE FROM indicator_domain_keys WHERE "RegisteredDomain" = OLD."RegisteredDomain" AND "CreatedAt" = OLD."CreatedAt" AND "Seq" = OLD."Seq";
                DELETE FROM indicator_domain_keys_recent WHERE "RegisteredDomain" = OLD."RegisteredDomain" AND "CreatedAt" = OLD."CreatedAt" AND "Seq" = OLD."Seq";
            """;

        private static readonly string[] DropKeyTables =
        [
            "DROP TRIGGER indicators_keys_removed",
            "DROP TRIGGER indicators_keys_changed",
            "DROP TABLE indicator_address_keys",
            "DROP TABLE indicator_address_keys_recent",
            "DROP TABLE indicator_domain_keys",
            "DROP TABLE indicator_domain_keys_recent",
        ];

        /// <summary>The triggers of this step, which a later step's way down makes again.</summary>
        internal static readonly string RemovedTrigger = $"""
            CREATE TRIGGER indicators_keys_removed AFTER DELETE ON indicators BEGIN
                {Forget}
            END
            """;

        internal static readonly string ChangedTrigger = $"""
            CREATE TRIGGER indicators_keys_changed AFTER UPDATE OF "Seq", "Address", "RegisteredDomain", "CreatedAt" ON indicators
            WHEN OLD."Seq" IS NOT NEW."Seq" OR OLD."Address" IS NOT NEW."Address" OR OLD."RegisteredDomain" IS NOT NEW."RegisteredDomain" OR OLD."CreatedAt" IS NOT NEW."CreatedAt"
            BEGIN
                {Forget}
                INSERT INTO indicator_address_keys_recent SELECT NEW."Address", NEW."Seq" WHERE NEW."Address" IS NOT NULL;
                INSERT INTO indicator_domain_keys_recent SELECT NEW."RegisteredDomain", NEW."CreatedAt", NEW."Seq" WHERE NEW."RegisteredDomain" IS NOT NULL;
            END
            """;

        // Written out here rather than taken from KeyTables, so that this step stays what it was when later ones change the tables.
        private static readonly string[] Create =
        [
            """ALTER TABLE indicators ADD COLUMN "Seq" INTEGER NOT NULL DEFAULT 0""",
            """UPDATE indicators SET "Seq" = rowid""",
            """CREATE UNIQUE INDEX "IX_indicators_Seq" ON indicators ("Seq")""",
            """CREATE TABLE indicator_address_keys ("Address" TEXT NOT NULL, "Seq" INTEGER NOT NULL, PRIMARY KEY ("Address", "Seq")) WITHOUT ROWID""",
            """CREATE TABLE indicator_address_keys_recent ("Address" TEXT NOT NULL, "Seq" INTEGER NOT NULL, PRIMARY KEY ("Address", "Seq")) WITHOUT ROWID""",
            """CREATE TABLE indicator_domain_keys ("RegisteredDomain" TEXT NOT NULL, "CreatedAt" INTEGER NOT NULL, "Seq" INTEGER NOT NULL, PRIMARY KEY ("RegisteredDomain", "CreatedAt", "Seq")) WITHOUT ROWID""",
            """CREATE TABLE indicator_domain_keys_recent ("RegisteredDomain" TEXT NOT NULL, "CreatedAt" INTEGER NOT NULL, "Seq" INTEGER NOT NULL, PRIMARY KEY ("RegisteredDomain", "CreatedAt", "Seq")) WITHOUT ROWID""",
            RemovedTrigger,
            ChangedTrigger,
            """INSERT INTO indicator_address_keys SELECT "Address", "Seq" FROM indicators WHERE "Address" IS NOT NULL ORDER BY "Address", "Seq" """,
            """INSERT INTO indicator_domain_keys SELECT "RegisteredDomain", "CreatedAt", "Seq" FROM indicators WHERE "RegisteredDomain" IS NOT NULL ORDER BY "RegisteredDomain", "CreatedAt", "Seq" """,
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var statement in DropKeyTables.Concat(Create))
            {
                migrationBuilder.Sql(statement);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            string[] dropSequence = ["""DROP INDEX "IX_indicators_Seq" """, """ALTER TABLE indicators DROP COLUMN "Seq" """];
            foreach (var statement in DropKeyTables.Concat(dropSequence).Concat(IndicatorKeyTables.Create))
            {
                migrationBuilder.Sql(statement);
            }
        }
    }
}
