using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segmentation.Storage.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "analyses",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    OwnerId = table.Column<string>(maxLength: 200, nullable: false),
                    Title = table.Column<string>(maxLength: 300, nullable: false),
                    FileName = table.Column<string>(maxLength: 300, nullable: false),
                    Rows = table.Column<int>(nullable: false),
                    Columns = table.Column<int>(nullable: false),
                    SelectedK = table.Column<int>(nullable: true),
                    SegmentNames = table.Column<string>(nullable: true),
                    RecipeJson = table.Column<string>(nullable: false),
                    ReadOptionsJson = table.Column<string>(nullable: false),
                    IngestReportJson = table.Column<string>(nullable: true),
                    SweepJson = table.Column<string>(nullable: true),
                    ModelsJson = table.Column<string>(nullable: true),
                    StateJson = table.Column<string>(nullable: true),
                    AppVersion = table.Column<string>(maxLength: 50, nullable: false),
                    CreatedAt = table.Column<DateTime>(nullable: false),
                    ModifiedAt = table.Column<DateTime>(nullable: false),
                    OpenedAt = table.Column<DateTime>(nullable: false),
                    Revision = table.Column<int>(nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_analyses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "analysis_files",
                columns: table => new
                {
                    AnalysisId = table.Column<Guid>(nullable: false),
                    Content = table.Column<byte[]>(nullable: false),
                    OriginalBytes = table.Column<long>(nullable: false),
                    Sha256 = table.Column<string>(maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_analysis_files", x => x.AnalysisId);
                    table.ForeignKey(
                        name: "FK_analysis_files_analyses_AnalysisId",
                        column: x => x.AnalysisId,
                        principalTable: "analyses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "share_links",
                columns: table => new
                {
                    Id = table.Column<Guid>(nullable: false),
                    AnalysisId = table.Column<Guid>(nullable: false),
                    TokenHash = table.Column<string>(maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(nullable: false),
                    RevokedAt = table.Column<DateTime>(nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_share_links", x => x.Id);
                    table.ForeignKey(
                        name: "FK_share_links_analyses_AnalysisId",
                        column: x => x.AnalysisId,
                        principalTable: "analyses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_analyses_OpenedAt",
                table: "analyses",
                column: "OpenedAt");

            migrationBuilder.CreateIndex(
                name: "IX_analyses_OwnerId_ModifiedAt",
                table: "analyses",
                columns: new[] { "OwnerId", "ModifiedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_share_links_AnalysisId",
                table: "share_links",
                column: "AnalysisId");

            migrationBuilder.CreateIndex(
                name: "IX_share_links_TokenHash",
                table: "share_links",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analysis_files");

            migrationBuilder.DropTable(
                name: "share_links");

            migrationBuilder.DropTable(
                name: "analyses");
        }
    }
}
