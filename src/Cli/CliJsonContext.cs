using System.Text.Json.Serialization;

namespace Segmentation.Cli;

/// <summary>
/// The JSON the commands print, with serialisation code generated at build time: the reflection-based serialiser spent 70–130 ms
/// of a 0.8 s <c>sweep --json</c> process discovering these types. Same contract: camelCase names, enums as names, indented.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SweepReport))]
[JsonSerializable(typeof(SegmentReport))]
[JsonSerializable(typeof(ScoreReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
