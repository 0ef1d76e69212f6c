namespace Dione.Cli.Api.Models;

/// <summary>A renamed contact: its old and new names and its Dione address (kubo's <c>key/rename</c> answers <c>Was</c> and <c>Now</c> alike).</summary>
public sealed record DioneContactRename(string Was, string Now, string Address);
