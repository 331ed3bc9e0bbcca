using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Partners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "partners",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NodeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ApiRoot = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    OutboundUser = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    OutboundCredential = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    PublicKeyPem = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    PublicKeyFingerprint = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    AllowedDistributions = table.Column<string>(type: "TEXT", nullable: false),
                    AllowedSharingGroups = table.Column<string>(type: "TEXT", nullable: false),
                    TlpCeiling = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    InboundPrefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    InboundSecretHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DisabledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastInboundAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partner_deliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Direction = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StixId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 300, nullable: false),
                    Modified = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_deliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_partner_deliveries_partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "partner_sync_cursors",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CollectionId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AddedAfter = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_sync_cursors", x => new { x.PartnerId, x.CollectionId });
                    table.ForeignKey(
                        name: "FK_partner_sync_cursors_partners_PartnerId",
                        column: x => x.PartnerId,
                        principalTable: "partners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_partner_deliveries_PartnerId_Direction_DeliveredAt",
                table: "partner_deliveries",
                columns: new[] { "PartnerId", "Direction", "DeliveredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_partner_deliveries_PartnerId_Direction_StixId_Modified",
                table: "partner_deliveries",
                columns: new[] { "PartnerId", "Direction", "StixId", "Modified" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_partners_InboundSecretHash",
                table: "partners",
                column: "InboundSecretHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_partners_Name",
                table: "partners",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_partners_NodeId",
                table: "partners",
                column: "NodeId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "partner_deliveries");

            migrationBuilder.DropTable(
                name: "partner_sync_cursors");

            migrationBuilder.DropTable(
                name: "partners");
        }
    }
}
