using System.Xml.Linq;
using Dione.Libp2p.Host;
using Dione.TestSupport.Interop;

namespace Dione.Libp2p.Tests.Host;

/// <summary>The agent version identify announces follows the version the packages are built as, not a copy of it.</summary>
public class AgentVersionTests
{
    [Fact]
    public void The_default_agent_version_is_dione_and_the_version_prefix_of_Directory_Build_props()
    {
        var props = XDocument.Load(Path.Combine(InteropDirectory.FindRepositoryRoot(), "Directory.Build.props"));
        var prefix = props.Descendants("VersionPrefix").Single().Value.Trim();

        Assert.Equal($"dione/{prefix}", Libp2pHostBuilder.DefaultAgentVersion);
    }
}
