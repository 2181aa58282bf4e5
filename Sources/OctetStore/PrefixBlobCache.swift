import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Saved engine state (the KV cache of a conversation's prefix) beside the database, so that
/// resuming a long conversation need not read it again (issue 6, point 4).
///
/// The store does not know what the bytes are: the engine serializes its cache to a `Data`
/// and names its serialization `format`. Each blob is one file in `directory`, named by the
/// model's hash, the number of tokens and the SHA-256 of those tokens, and starts with a
/// header repeating them plus the payload's length and SHA-256. A file is used only when all
/// of them match (else it is stale or damaged, and deleted); files are written to a temporary
/// name and renamed, so a crash never leaves half a blob under a real name. The directory is
/// kept under `capacity` bytes by deleting the least recently used files (a file's
/// modification time is its last use).
///
/// ```swift
/// let cache = try PrefixBlobCache(
///     directory: PrefixBlobCache.directory(besideDatabase: db.path), format: "octet-kv-1")
/// try cache.save(kvBytes, modelHash: hash, tokens: promptTokens)
/// if let hit = try cache.load(modelHash: hash, tokens: newPromptTokens) {
///     engine.restore(hit.payload)          // then prefill newPromptTokens[hit.tokenCount...]
/// }
/// ```
public struct PrefixBlobCache: Sendable {
    /// A blob found by `load`: it holds the state after the first `tokenCount` tokens.
    public struct Entry: Sendable, Equatable {
        public var tokenCount: Int
        public var payload: Data
    }

    /// One file of the cache, as listed by `entries()`.
    public struct EntryInfo: Sendable, Equatable {
        public var modelHash: String
        public var tokenCount: Int
        /// File size in bytes (header included).
        public var size: Int64
        public var lastUsed: Date
        public var fileName: String
    }

    /// The folder of the blob files.
    public let directory: String
    /// The engine's name for its serialization; blobs of another format are stale.
    public let format: String
    /// The most bytes the folder may hold.
    public let capacity: Int64
    let clock: @Sendable () -> Date

    /// The cache folder of the database at `databasePath`: `<databasePath>.kvcache`.
    public static func directory(besideDatabase databasePath: String) -> String {
        databasePath + ".kvcache"
    }

    /// Opens (creating, mode 0700) the cache folder.
    /// - Parameters:
    ///   - format: the engine's serialization name (e.g. `octet-kv-1`).
    ///   - capacity: the most bytes kept; 2 GiB by default (Octet itself asks for 1 GiB).
    /// - Throws: `StoreError.io` or `.readOnly` naming the folder.
    public init(directory: String, format: String, capacity: Int64 = 2 << 30) throws {
        try self.init(directory: directory, format: format, capacity: capacity, clock: { Date() })
    }

    init(
        directory: String, format: String, capacity: Int64, clock: @escaping @Sendable () -> Date
    ) throws {
        self.directory = directory
        self.format = format
        self.capacity = capacity
        self.clock = clock
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.io(path: directory, problem: "cannot create the cache folder")
        }
    }

    // MARK: - Save and load

    /// Stores `payload` as the state after `tokens`, replacing an older blob of the same
    /// prefix, then evicts the least recently used blobs beyond `capacity`.
    /// - Returns: false when the payload alone is larger than `capacity` (nothing stored).
    /// - Throws: `StoreError.diskFull`, `.readOnly`, `.io` naming the folder.
    @discardableResult
    public func save(_ payload: Data, modelHash: String, tokens: [Int]) throws -> Bool {
        let key = try BlobKey(modelHash: modelHash, tokens: tokens, format: format)
        let header = BlobHeader(key: key, format: format, payload: payload).encoded()
        guard Int64(header.count + payload.count) <= capacity else { return false }
        let finalPath = path(of: key.fileName)
        let unique = "\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let temporary = directory + "/." + key.fileName + "." + unique + ".tmp"
        do {
            guard FileManager.default.createFile(
                atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
            else { throw StoreError.readOnly(path: directory) }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            defer { try? handle.close() }
            try handle.write(contentsOf: header)
            try handle.write(contentsOf: payload)
            try handle.close()
            try touch(temporary)
            guard rename(temporary, finalPath) == 0 else {
                throw StoreError.readOnly(path: directory)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? StoreError { throw error }
            throw StoreError.io(
                path: directory,
                problem: "cannot write \(key.fileName): \(error.localizedDescription)")
        }
        try evict(keeping: key.fileName)
        return true
    }

    /// The blob of the longest prefix of `tokens` stored for this model, validated; nil when
    /// there is none. Stale or damaged files met on the way are deleted. A hit counts as a use
    /// for the LRU order.
    public func load(modelHash: String, tokens: [Int]) throws -> Entry? {
        let candidates = try entries()
            .filter { $0.modelHash == modelHash && $0.tokenCount <= tokens.count }
            .sorted { $0.tokenCount > $1.tokenCount }
        for candidate in candidates {
            let key = try BlobKey(
                modelHash: modelHash, tokens: Array(tokens.prefix(candidate.tokenCount)),
                format: format)
            guard key.fileName == candidate.fileName else { continue }
            let filePath = path(of: candidate.fileName)
            guard let file = MappedFile(path: filePath) else { continue }
            if let payload = BlobHeader.validatedPayload(file.bytes, key: key, format: format) {
                try? touch(filePath)
                return Entry(tokenCount: candidate.tokenCount, payload: file.data(payload))
            }
            try? FileManager.default.removeItem(atPath: filePath)
        }
        return nil
    }

    // MARK: - Housekeeping

    /// The blob files, in no particular order.
    public func entries() throws -> [EntryInfo] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw StoreError.io(path: directory, problem: "cannot list the cache folder")
        }
        return names.compactMap { name in
            guard let parsed = BlobKey.parse(fileName: name),
                let attributes = try? FileManager.default.attributesOfItem(atPath: path(of: name))
            else { return nil }
            return EntryInfo(
                modelHash: parsed.modelHash, tokenCount: parsed.tokenCount,
                size: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                lastUsed: attributes[.modificationDate] as? Date ?? .distantPast,
                fileName: name)
        }
    }

    /// The bytes the blob files take.
    public func totalSize() throws -> Int64 {
        try entries().reduce(0) { $0 + $1.size }
    }

    /// Deletes the blob of exactly `tokens`, if there is one (a state the engine refused).
    public func remove(modelHash: String, tokens: [Int]) throws {
        let key = try BlobKey(modelHash: modelHash, tokens: tokens, format: format)
        try? FileManager.default.removeItem(atPath: path(of: key.fileName))
    }

    /// Deletes the blobs of this model whose tokens are a shorter prefix of `tokens`: once the
    /// state after a conversation's latest turn is saved, those of its earlier turns are of no
    /// more use (a resume looks up the longest prefix). Blobs of conversations that went
    /// another way are not prefixes and stay.
    /// - Returns: how many were deleted.
    @discardableResult
    public func removeShorterPrefixes(of tokens: [Int], modelHash: String) throws -> Int {
        var removed = 0
        for entry in try entries()
        where entry.modelHash == modelHash && entry.tokenCount < tokens.count {
            let key = try BlobKey(
                modelHash: modelHash, tokens: Array(tokens.prefix(entry.tokenCount)), format: format)
            guard key.fileName == entry.fileName else { continue }
            try? FileManager.default.removeItem(atPath: path(of: entry.fileName))
            removed += 1
        }
        return removed
    }

    /// Deletes the blobs of every model but `modelHash` (after the model file changed).
    public func removeEntries(exceptModel modelHash: String) throws {
        for entry in try entries() where entry.modelHash != modelHash {
            try? FileManager.default.removeItem(atPath: path(of: entry.fileName))
        }
    }

    /// Deletes least recently used blobs until the folder fits `capacity`, never `kept`;
    /// also removes temporary files an interrupted save left behind.
    private func evict(keeping kept: String) throws {
        removeAbandonedTemporaries()
        var entries = try entries().sorted {
            ($0.lastUsed, $0.fileName) < ($1.lastUsed, $1.fileName)
        }
        var total = entries.reduce(0) { $0 + $1.size }
        while total > capacity, let oldest = entries.first {
            entries.removeFirst()
            if oldest.fileName == kept { continue }
            try? FileManager.default.removeItem(atPath: path(of: oldest.fileName))
            total -= oldest.size
        }
    }

    private func removeAbandonedTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let cutoff = clock().addingTimeInterval(-3600)
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let filePath = path(of: name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: filePath))?[
                .modificationDate] as? Date
            if let modified, modified < cutoff {
                try? FileManager.default.removeItem(atPath: filePath)
            }
        }
    }

    private func touch(_ filePath: String) throws {
        try FileManager.default.setAttributes([.modificationDate: clock()], ofItemAtPath: filePath)
    }

    private func path(of fileName: String) -> String {
        directory + "/" + fileName
    }
}
