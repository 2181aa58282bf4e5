import Dispatch
import Foundation

/// Ctrl-C while a command generates: the first one calls `onInterrupt` (the command stops
/// its reply and exits normally), and restores the default action so that a second one
/// kills the process as usual.
final class InterruptHandler {
    private let source: DispatchSourceSignal

    /// Starts catching SIGINT; `onInterrupt` runs on a dispatch queue.
    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        // The default action must be off for the dispatch source to get the signal.
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            signal(SIGINT, SIG_DFL)
            onInterrupt()
        }
        source.resume()
    }

    /// Stops catching SIGINT.
    func restore() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
