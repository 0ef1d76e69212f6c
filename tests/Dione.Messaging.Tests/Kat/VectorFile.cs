using System.Text.Json.Nodes;

namespace Dione.Messaging.Tests.Kat;

/// <summary>Reads the committed JSON vector files copied next to the test assembly.</summary>
internal static class VectorFile
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);

    public static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(PathOf(name)))?.AsObject() ?? throw new InvalidDataException($"{name} is not a JSON object");

    public static byte[] Hex(this JsonNode node, string key) =>
        Convert.FromHexString(node[key]?.GetValue<string>() ?? throw new KeyNotFoundException(key));

    public static string Text(this JsonNode node, string key) =>
        node[key]?.GetValue<string>() ?? throw new KeyNotFoundException(key);
}
