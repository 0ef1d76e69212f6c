using System.Text.Json.Serialization;
using Dione.Cli.Api.Models;

namespace Dione.Cli.Api;

/// <summary>
/// Source-generated JSON metadata for every value the API sends. The daemon writes replies and the CLI reads them
/// through this one context (with <see cref="ApiJson.Options"/>), so both ends agree on each field by construction.
/// </summary>
[JsonSerializable(typeof(AddressMap))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(DioneAddressOutput))]
[JsonSerializable(typeof(DioneContact))]
[JsonSerializable(typeof(DioneContactRename))]
[JsonSerializable(typeof(DioneContacts))]
[JsonSerializable(typeof(DioneMessage))]
[JsonSerializable(typeof(DioneMessages))]
[JsonSerializable(typeof(DioneSendOutput))]
[JsonSerializable(typeof(DioneStatusOutput))]
[JsonSerializable(typeof(IdOutput))]
[JsonSerializable(typeof(PerfOutput))]
[JsonSerializable(typeof(PingResult))]
[JsonSerializable(typeof(QueryEvent))]
[JsonSerializable(typeof(StringList))]
[JsonSerializable(typeof(SwarmPeers))]
[JsonSerializable(typeof(VersionOutput))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
