import Foundation
import OctetChat

/// Writes one streaming reply the crash-safe way, for the chat screen and `octet run --save`:
/// the reply row exists (incomplete) before the first token, its text is saved whenever
/// `interval` has passed since the last save, and `finish` marks it complete. A crash or
/// `kill -9` therefore loses at most the text of the last `interval` (0.5 s by default, so
/// "at least once per second" holds with room to spare).
///
/// ```swift
/// let recorder = try ReplyRecorder(database: db, conversationID: id, generation: info)
/// for await event in session.events {
///     if case .text(let piece) = event { try recorder.append(piece) }
/// }
/// try recorder.finish(generation: finalInfo)
/// ```
///
/// Not thread-safe: one recorder belongs to the one task that streams its reply.
public final class ReplyRecorder {
    /// The reply's message id.
    public let messageID: Int64
    /// All the text appended so far.
    public private(set) var text = ""
    /// How many times the text was written to the database (for tests and diagnostics).
    public private(set) var flushCount = 0

    private let database: AppDatabase
    private let interval: TimeInterval
    private let clock: () -> Date
    private var lastFlush: Date
    private var savedLength = 0

    /// Creates the (empty, incomplete) reply in the database at once.
    /// - Parameters:
    ///   - generation: what is producing the reply, as far as known now.
    ///   - interval: the most seconds between two saves while text arrives.
    ///   - clock: the time source (tests pass a fake one).
    /// - Throws: `StoreError.noSuchConversation`, or the database's write errors.
    public init(
        database: AppDatabase, conversationID: Int64, generation: GenerationInfo? = nil,
        interval: TimeInterval = 0.5, clock: @escaping () -> Date = Date.init
    ) throws {
        self.database = database
        self.interval = interval
        self.clock = clock
        let now = clock()
        messageID = try database.beginReply(
            in: conversationID, generation: generation, created: now
        ).id!
        lastFlush = now
    }

    /// Appends a piece of the reply; saves the text so far when `interval` has passed.
    public func append(_ piece: String) throws {
        text += piece
        if clock().timeIntervalSince(lastFlush) >= interval { try flush() }
    }

    /// Saves the text so far now (when anything new arrived since the last save).
    public func flush() throws {
        let now = clock()
        lastFlush = now
        guard text.utf8.count != savedLength else { return }
        try database.updateReply(messageID, content: text, at: now)
        savedLength = text.utf8.count
        flushCount += 1
    }

    /// Saves the final text and `generation`, marked `complete` (pass false, with
    /// `stopReason` `cancelled`, for a reply the user stopped).
    /// - Returns: the stored reply.
    @discardableResult
    public func finish(generation: GenerationInfo?, complete: Bool = true) throws -> Message {
        try database.finishReply(
            messageID, content: text, generation: generation, complete: complete, at: clock())
    }
}
