import Foundation
import OctetChat

/// Runs the effects that talk to `ChatServices`, in tasks, and posts their results as
/// events. Store writes run one after another in the order they were issued, and the ids
/// the store assigns are remembered per conversation key and message index, so that a
/// reply saved again while it streams is overwritten rather than inserted twice.
final class EffectRunner: @unchecked Sendable {
    let services: ChatServices
    let queue: EventQueue
    let options: Runtime.Options
    private let lock = NSLock()
    /// The last store write; each new one waits for it.
    private var lastWrite: Task<Void, Never>?
    private var running = 0
    private var conversationIDs: [Int: Int64] = [:]
    private var messageIDs: [MessageKey: Int64] = [:]

    struct MessageKey: Hashable {
        var conversation: Int
        var index: Int
    }

    init(services: ChatServices, queue: EventQueue, options: Runtime.Options) {
        self.services = services
        self.queue = queue
        self.options = options
    }

    /// True when no effect task is running.
    var isIdle: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running == 0
    }

    /// The tasks that run from the start: the model's progress and the saved draft.
    func startup() -> [Effect] {
        // Not counted in `isIdle`: quitting need not wait for a model still loading.
        Task { [services, queue] in
            for await status in services.modelStatus() { queue.post(.model(status)) }
        }
        do {
            if let draft = try options.draft?.load() { queue.post(.draftRestored(draft)) }
        } catch {
            queue.post(.failed("\(error)", saving: false))
        }
        return []
    }

    // MARK: - Tasks

    /// Runs `work` in a task, counted in `isIdle`.
    func spawn(_ work: @escaping @Sendable () async -> Void) {
        lock.lock()
        running += 1
        lock.unlock()
        Task {
            await work()
            self.finished()
        }
    }

    private func finished() {
        lock.withLock { running -= 1 }
    }

    /// Runs `write` after every write issued before it.
    func enqueueWrite(_ write: @escaping @Sendable () async throws -> Void) {
        lock.lock()
        let previous = lastWrite
        running += 1
        let task = Task { [queue] in
            await previous?.value
            do {
                try await write()
            } catch {
                queue.post(.failed("not saved: \(error)", saving: true))
            }
            self.finished()
        }
        lastWrite = task
        lock.unlock()
    }

    /// Waits for the writes issued so far.
    func writesDone() async {
        let last = lock.withLock { lastWrite }
        await last?.value
    }

    // MARK: - Ids

    func conversationID(_ key: Int, _ given: Int64?) -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        if let given { conversationIDs[key] = given }
        return given ?? conversationIDs[key]
    }

    func remember(conversation key: Int, _ id: Int64?) {
        guard let id else { return }
        lock.lock()
        conversationIDs[key] = id
        lock.unlock()
    }

    func messageID(_ key: MessageKey) -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        return messageIDs[key]
    }

    func remember(message key: MessageKey, _ id: Int64?) {
        lock.lock()
        messageIDs[key] = id
        lock.unlock()
    }
}
