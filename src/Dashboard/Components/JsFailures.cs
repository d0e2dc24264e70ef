using Microsoft.JSInterop;

namespace Segmentation.Dashboard.Components;

/// <summary>What a failed JS interop call means for a component.</summary>
public static class JsFailures
{
    /// <summary>
    /// The call failed only because the page, the circuit or the element went away, or was cancelled or timed out on the way: never
    /// a reason to end the circuit. Components catch these around every JS call that cleans up or decorates.
    /// </summary>
    public static bool IsGone(Exception exception) => exception is JSDisconnectedException or TaskCanceledException or OperationCanceledException or JSException or ObjectDisposedException;
}
