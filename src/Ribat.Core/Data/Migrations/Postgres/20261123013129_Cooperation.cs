using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ribat.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Cooperation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "contact_points",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Phone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Languages = table.Column<List<string>>(type: "text[]", nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PublicKey = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    Always = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contact_points", x => x.Id);
                    table.ForeignKey(
                        name: "FK_contact_points_organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cooperation_requests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerNode = table.Column<Guid>(type: "uuid", nullable: true),
                    Tlp = table.Column<int>(type: "integer", nullable: false),
                    Pap = table.Column<int>(type: "integer", nullable: false),
                    Distribution = table.Column<int>(type: "integer", nullable: false),
                    SharingGroupId = table.Column<Guid>(type: "uuid", nullable: true),
                    Handling = table.Column<int>(type: "integer", nullable: false),
                    HandlingConditions = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Evaluation = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    Type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    AddresseeKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AddressedOrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    AddressedNode = table.Column<Guid>(type: "uuid", nullable: true),
                    ServiceProviderId = table.Column<Guid>(type: "uuid", nullable: true),
                    AddresseeName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    RequestedCountry = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    Offences = table.Column<List<string>>(type: "text[]", nullable: false),
                    Fields = table.Column<string>(type: "text", nullable: false),
                    LinkedRequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    PreservationDays = table.Column<int>(type: "integer", nullable: true),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignedTo = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcknowledgeBy = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnswerBy = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PreservedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Extensions = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cooperation_requests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "national_provisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    Offence = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reference = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    UpdatedByOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_national_provisions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "service_providers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Country = table.Column<string>(type: "character(2)", fixedLength: true, maxLength: 2, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    LegalBasis = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    DataTypes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Retention = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    EmergencyContact = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    RequestChannel = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Notes = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: true),
                    UpdatedByOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_service_providers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "cooperation_attachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", unicode: false, maxLength: 64, nullable: false),
                    AddedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cooperation_attachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_cooperation_attachments_cooperation_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "cooperation_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "cooperation_reminders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ContactPointId = table.Column<Guid>(type: "uuid", nullable: true),
                    Clock = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Level = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cooperation_reminders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_cooperation_reminders_cooperation_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "cooperation_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "cooperation_request_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ActorUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ActorName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    From = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    To = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Note = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cooperation_request_events", x => x.Id);
                    table.ForeignKey(
                        name: "FK_cooperation_request_events_cooperation_requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "cooperation_requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_contact_points_OrganisationId",
                table: "contact_points",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_cooperation_attachments_RequestId",
                table: "cooperation_attachments",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_cooperation_attachments_Sha256",
                table: "cooperation_attachments",
                column: "Sha256");

            migrationBuilder.CreateIndex(
                name: "IX_cooperation_reminders_OrganisationId_CreatedAt",
                table: "cooperation_reminders",
                columns: new[] { "OrganisationId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_cooperation_reminders_RequestId_OrganisationId_Clock_Level_~",
                table: "cooperation_reminders",
                columns: new[] { "RequestId", "OrganisationId", "Clock", "Level", "DueAt" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cooperation_request_events_RequestId_At",
                table: "cooperation_request_events",
                columns: new[] { "RequestId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_cooperation_requests_AddressedOrganisationId",
                table: "cooperation_requests",
                column: "AddressedOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_cooperation_requests_LinkedRequestId",
                table: "cooperation_requests",
                column: "LinkedRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_cooperation_requests_OwnerOrganisationId",
                table: "cooperation_requests",
                column: "OwnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_cooperation_requests_ServiceProviderId",
                table: "cooperation_requests",
                column: "ServiceProviderId");

            migrationBuilder.CreateIndex(
                name: "IX_national_provisions_Country_Offence_Reference",
                table: "national_provisions",
                columns: new[] { "Country", "Offence", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_service_providers_Name",
                table: "service_providers",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contact_points");

            migrationBuilder.DropTable(
                name: "cooperation_attachments");

            migrationBuilder.DropTable(
                name: "cooperation_reminders");

            migrationBuilder.DropTable(
                name: "cooperation_request_events");

            migrationBuilder.DropTable(
                name: "national_provisions");

            migrationBuilder.DropTable(
                name: "service_providers");

            migrationBuilder.DropTable(
                name: "cooperation_requests");
        }
    }
}
