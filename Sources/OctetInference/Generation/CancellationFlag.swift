import Foundation

// MARK: - Cancellation

/// A flag one side sets and a generation checks before every token: Ctrl-C handlers, UI
/// actions and the stream's termination all end up here.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var cancelled = false

    public init() {}

    /// Asks the generation to stop before its next token.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }
}
