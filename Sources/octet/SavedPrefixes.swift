import Foundation
import OctetChat
import OctetInference
import OctetStore

// MARK: - Saved KV caches of conversations

/// The engine's KV cache of conversations' prompt prefixes, saved beside the database
/// (`<db>.kvcache`, issue 6 point 4), so that resuming a long conversation restores the state
/// after its transcript instead of reading the transcript again. The engine serializes its
/// cache (`ModelContext.exportState`), the store keeps the bytes (`PrefixBlobCache`, keyed by
/// the model file's hash and the tokens); this type only joins them.
///
/// Never in the way: saving comes after the reply is stored and printed, and every failure
/// (a full disk, a read-only folder, a damaged or stale file) only makes a miss, with at
/// most one `log` line. The folder holds at most `capacity` bytes, least recently used first
/// out, and saving a conversation's latest state deletes those of its earlier turns.
struct SavedPrefixes: Sendable {
    /// 1 GiB: about 45,000 tokens of SmolLM2-135M state (23 kB a token), or 20 resumable
    /// conversations of 2,000 tokens.
    static let capacity: Int64 = 1 << 30

    let blobs: PrefixBlobCache
    let modelHash: String
    let log: @Sendable (String) -> Void

    /// The cache beside the database at `databasePath`; nil (and a log line) when its folder
    /// cannot be made, or when the model's hash is unknown.
    init?(databasePath: String, modelHash: String?, log: @escaping @Sendable (String) -> Void) {
        guard let modelHash else { return nil }
        do {
            blobs = try PrefixBlobCache(
                directory: PrefixBlobCache.directory(besideDatabase: databasePath),
                format: ModelContext.stateFormat, capacity: Self.capacity)
        } catch {
            log("the saved KV caches are not used: \(error)")
            return nil
        }
        self.modelHash = modelHash
        self.log = log
    }

    // MARK: - Restore

    /// Puts into `backend`'s cache the saved state of the longest saved prefix of `tokens`
    /// (the prompt of the next turn), when it is longer than what the cache already shares
    /// with them; the generator then prefills only the rest. Waits for a running generation.
    /// - Returns: the tokens restored (0: none).
    @discardableResult
    func restore(longestPrefixOf tokens: [Int], into backend: LocalBackend) -> Int {
        backend.generator.whenIdle {
            let context = backend.context
            let held = context.cachedPrefixLength(of: tokens)
            let hit: PrefixBlobCache.Entry?
            do {
                hit = try blobs.load(modelHash: modelHash, tokens: tokens)
            } catch {
                log("the saved KV caches are not used: \(error)")
                return 0
            }
            guard let hit, hit.tokenCount > held else { return 0 }
            do {
                try context.restoreState(hit.payload)
                return hit.tokenCount
            } catch InferenceError.contextOverflow {
                return 0  // a sound state, for a larger context (`--ctx`)
            } catch {
                // Of this model's hash, yet refused: another engine's layout; never of use.
                log("a saved KV cache was refused and deleted: \(error)")
                try? blobs.remove(modelHash: modelHash, tokens: Array(tokens.prefix(hit.tokenCount)))
                return 0
            }
        }
    }

    // MARK: - Save

    /// The part of a cache to write: the state after `tokens`.
    struct Snapshot {
        let tokens: [Int]
        let state: Data
    }

    /// Copies the state of `backend`'s cache for the longest prefix it shares with `tokens`
    /// (the conversation as the next turn will render it: the reply's tokens as they will be
    /// read again, not necessarily as they were generated). Only while no generation runs:
    /// it tries for about a second (a new turn may have started: its own save will follow).
    func snapshot(of backend: LocalBackend, sharedWith tokens: [Int]) async -> Snapshot? {
        for _ in 0 ..< 50 {
            let taken = backend.generator.ifIdle { () -> Snapshot? in
                let count = backend.context.cachedPrefixLength(of: tokens)
                guard count > 0, let state = try? backend.context.exportState(tokenCount: count) else {
                    return nil
                }
                return Snapshot(tokens: Array(tokens.prefix(count)), state: state)
            }
            if let taken { return taken }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return nil
    }

    /// Writes `snapshot` and deletes the saved states of its shorter prefixes (the earlier
    /// turns of the same conversation).
    func write(_ snapshot: Snapshot) {
        do {
            guard try blobs.save(snapshot.state, modelHash: modelHash, tokens: snapshot.tokens) else { return }
            try blobs.removeShorterPrefixes(of: snapshot.tokens, modelHash: modelHash)
        } catch {
            log("the KV cache was not saved: \(error)")
        }
    }

    /// `snapshot` of what `backend`'s cache shares with the conversation of `session` as its
    /// next turn will render it (the last reply included), then `write`. `session` must not
    /// wait for the engine: an idle one, or one over a backend that does not ask it.
    func save(from backend: LocalBackend, renderedBy session: ChatSession) async {
        guard let tokens = try? await session.preview().tokens,
            let snapshot = await snapshot(of: backend, sharedWith: tokens)
        else { return }
        write(snapshot)
    }
}
