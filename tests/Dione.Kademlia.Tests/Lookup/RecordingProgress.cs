using Dione.Kademlia.Lookup;
namespace Dione.Kademlia.Tests.Lookup;

/// <summary>An <see cref="IProgress{T}"/> that records reports synchronously, in order.</summary>
internal sealed class RecordingProgress : IProgress<LookupProgress>
{
    private readonly List<LookupProgress> _reports = [];

    public IReadOnlyList<LookupProgress> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(LookupProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }
    }
}
