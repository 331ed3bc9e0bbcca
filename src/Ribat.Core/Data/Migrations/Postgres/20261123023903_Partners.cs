using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NodeId = table.Column<Guid>(type: "uuid", nullable: false),
                    ApiRoot = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    OutboundUser = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    OutboundCredential = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    PublicKeyPem = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: false),
                    PublicKeyFingerprint = table.Column<string>(type: "character varying(64)", unicode: false, maxLength: 64, nullable: false),
                    AllowedDistributions = table.Column<List<string>>(type: "text[]", nullable: false),
                    AllowedSharingGroups = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    TlpCeiling = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    InboundPrefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    InboundSecretHash = table.Column<string>(type: "character varying(64)", unicode: false, maxLength: 64, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DisabledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LastInboundAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "partner_deliveries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Direction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StixId = table.Column<string>(type: "character varying(300)", unicode: false, maxLength: 300, nullable: false),
                    Modified = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CollectionId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    AddedAfter = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
