using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Segmentation.Storage.Migrations
{
    /// <summary>The analyst's notes, for the library. Like the first migration it names no column type, so SQLite and PostgreSQL
    /// each map a string of at most 300 characters their own way.</summary>
    public partial class AnalysisNotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Notes",
                table: "analyses",
                maxLength: 300,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Notes",
                table: "analyses");
        }
    }
}
