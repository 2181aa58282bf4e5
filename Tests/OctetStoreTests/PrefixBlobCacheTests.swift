import Foundation
import XCTest
@testable import OctetStore

/// The KV-cache blob store: round trip, longest prefix, validation, LRU eviction.
final class PrefixBlobCacheTests: XCTestCase {
    private let model = String(repeating: "ab", count: 32)
    private let otherModel = String(repeating: "cd", count: 32)

    /// A cache in a fresh folder with a clock the test moves.
    private final class Clock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: 1_700_000_000)
    }

    private func makeCache(capacity: Int64 = 1 << 20, clock: Clock = Clock()) throws -> PrefixBlobCache {
        let folder = try makeTemporaryDirectory().appendingPathComponent("octet.sqlite.kvcache")
        return try PrefixBlobCache(
            directory: folder.path, format: "test-kv-1", capacity: capacity, clock: { clock.now })
    }

    private func bytes(_ count: Int, _ seed: UInt8) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0) &+ seed })
    }

    func testTheFolderIsBesideTheDatabase() {
        XCTAssertEqual(
            PrefixBlobCache.directory(besideDatabase: "/h/octet/octet.sqlite"),
            "/h/octet/octet.sqlite.kvcache")
    }

    func testSavedBytesComeBackForTheLongestStoredPrefix() throws {
        // Given blobs for the prefixes [1,2] and [1,2,3,4]
        let cache = try makeCache()
        let short = bytes(100, 1), long = bytes(200, 2)
        XCTAssertTrue(try cache.save(short, modelHash: model, tokens: [1, 2]))
        XCTAssertTrue(try cache.save(long, modelHash: model, tokens: [1, 2, 3, 4]))
        // When loading for a conversation that continues the longer one
        let hit = try cache.load(modelHash: model, tokens: [1, 2, 3, 4, 5, 6])
        // Then the longest prefix's bytes come back
        XCTAssertEqual(hit, PrefixBlobCache.Entry(tokenCount: 4, payload: long))
        // A conversation that diverged after two tokens gets the shorter one
        XCTAssertEqual(try cache.load(modelHash: model, tokens: [1, 2, 9])?.payload, short)
        // Another model, or other tokens, get nothing
        XCTAssertNil(try cache.load(modelHash: otherModel, tokens: [1, 2, 3, 4]))
        XCTAssertNil(try cache.load(modelHash: model, tokens: [2, 1, 3]))
        XCTAssertNil(try cache.load(modelHash: model, tokens: [1]))
    }

    func testSavingTheSamePrefixAgainReplacesIt() throws {
        let cache = try makeCache()
        try cache.save(bytes(10, 1), modelHash: model, tokens: [7, 8])
        try cache.save(bytes(10, 9), modelHash: model, tokens: [7, 8])
        XCTAssertEqual(try cache.entries().count, 1)
        XCTAssertEqual(try cache.load(modelHash: model, tokens: [7, 8])?.payload, bytes(10, 9))
    }

    func testDamagedFilesAreRejectedAndDeleted() throws {
        // Given a stored blob whose payload loses a bit on disk
        let cache = try makeCache()
        try cache.save(bytes(1000, 3), modelHash: model, tokens: [5, 6, 7])
        let file = cache.directory + "/" + (try cache.entries()[0].fileName)
        var data = try Data(contentsOf: URL(fileURLWithPath: file))
        data[data.count - 10] ^= 0x01
        try data.write(to: URL(fileURLWithPath: file))
        // When loading it
        // Then it is not used, and it is removed
        XCTAssertNil(try cache.load(modelHash: model, tokens: [5, 6, 7]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: file))
    }

    func testTruncatedFilesAreRejected() throws {
        let cache = try makeCache()
        try cache.save(bytes(1000, 3), modelHash: model, tokens: [5, 6, 7])
        let file = cache.directory + "/" + (try cache.entries()[0].fileName)
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        try data.prefix(500).write(to: URL(fileURLWithPath: file))
        XCTAssertNil(try cache.load(modelHash: model, tokens: [5, 6, 7]))
        XCTAssertEqual(try cache.entries().count, 0)
    }

    func testBlobsOfAnotherFormatAreStale() throws {
        // Given a blob written by an engine with another serialization format
        let cache = try makeCache()
        let old = try PrefixBlobCache(directory: cache.directory, format: "test-kv-0", capacity: 1 << 20)
        try old.save(bytes(64, 1), modelHash: model, tokens: [1, 2, 3])
        // When the new engine looks for it, then it does not match
        XCTAssertNil(try cache.load(modelHash: model, tokens: [1, 2, 3]))
        // And a file renamed to look right is caught by its header
        let entry = try old.entries()[0]
        let right = try cache.save(bytes(64, 1), modelHash: model, tokens: [1, 2, 3])
        XCTAssertTrue(right)
        let name = try cache.entries().first { $0.fileName != entry.fileName }!.fileName
        try FileManager.default.removeItem(atPath: cache.directory + "/" + name)
        try FileManager.default.moveItem(
            atPath: cache.directory + "/" + entry.fileName, toPath: cache.directory + "/" + name)
        XCTAssertNil(try cache.load(modelHash: model, tokens: [1, 2, 3]))
        XCTAssertEqual(try cache.entries().count, 0)
    }

    func testTheLeastRecentlyUsedBlobsAreEvictedBeyondTheCapacity() throws {
        // Given a cache of 3,000 bytes holding two 1,000-byte blobs, A older than B
        let clock = Clock()
        let cache = try makeCache(capacity: 3000, clock: clock)
        try cache.save(bytes(1000, 1), modelHash: model, tokens: [1])
        clock.now += 10
        try cache.save(bytes(1000, 2), modelHash: model, tokens: [2])
        // When A is used, then a third blob arrives
        clock.now += 10
        XCTAssertNotNil(try cache.load(modelHash: model, tokens: [1]))
        clock.now += 10
        try cache.save(bytes(1000, 3), modelHash: model, tokens: [3])
        // Then B, the least recently used, was evicted; A and C remain
        XCTAssertNotNil(try cache.load(modelHash: model, tokens: [1]))
        XCTAssertNil(try cache.load(modelHash: model, tokens: [2]))
        XCTAssertNotNil(try cache.load(modelHash: model, tokens: [3]))
        XCTAssertLessThanOrEqual(try cache.totalSize(), 3000)
    }

    func testABlobLargerThanTheCapacityIsNotStored() throws {
        let cache = try makeCache(capacity: 500)
        XCTAssertFalse(try cache.save(bytes(1000, 1), modelHash: model, tokens: [1]))
        XCTAssertEqual(try cache.entries().count, 0)
    }

    func testOtherModelsCanBeDiscarded() throws {
        let cache = try makeCache()
        try cache.save(bytes(10, 1), modelHash: model, tokens: [1])
        try cache.save(bytes(10, 1), modelHash: otherModel, tokens: [1])
        try cache.removeEntries(exceptModel: model)
        XCTAssertEqual(try cache.entries().map(\.modelHash), [model])
    }

    func testShorterPrefixesOfANewerStateCanBeRemoved() throws {
        // Given the states after two turns of a conversation, one of a conversation that went
        // another way after the first turn, and one of another model
        let cache = try makeCache()
        try cache.save(bytes(10, 1), modelHash: model, tokens: [1, 2])
        try cache.save(bytes(10, 2), modelHash: model, tokens: [1, 2, 3, 4])
        try cache.save(bytes(10, 3), modelHash: model, tokens: [1, 2, 9])
        try cache.save(bytes(10, 4), modelHash: otherModel, tokens: [1, 2])
        // When the state after its third turn is saved and the shorter prefixes removed
        try cache.save(bytes(10, 5), modelHash: model, tokens: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try cache.removeShorterPrefixes(of: [1, 2, 3, 4, 5, 6], modelHash: model), 2)
        // Then only the latest state of the conversation, and the others, remain
        XCTAssertEqual(
            Set(try cache.entries().map { "\($0.modelHash.prefix(2)) \($0.tokenCount)" }),
            ["ab 6", "ab 3", "cd 2"])
        XCTAssertEqual(try cache.load(modelHash: model, tokens: [1, 2, 3, 4, 5, 6, 7])?.tokenCount, 6)
        XCTAssertEqual(try cache.load(modelHash: model, tokens: [1, 2, 9, 7])?.tokenCount, 3)
        XCTAssertNil(try cache.load(modelHash: model, tokens: [1, 2, 3, 4]))
    }

    func testOneBlobCanBeRemoved() throws {
        let cache = try makeCache()
        try cache.save(bytes(10, 1), modelHash: model, tokens: [1, 2])
        try cache.save(bytes(10, 2), modelHash: model, tokens: [1])
        try cache.remove(modelHash: model, tokens: [1, 2])
        try cache.remove(modelHash: model, tokens: [7])
        XCTAssertEqual(try cache.entries().map(\.tokenCount), [1])
    }

    func testAbandonedTemporaryFilesAreCleanedUp() throws {
        let clock = Clock()
        let cache = try makeCache(clock: clock)
        let temporary = cache.directory + "/.\(model)-1-x.blob.1.2.tmp"
        try Data("half".utf8).write(to: URL(fileURLWithPath: temporary))
        try FileManager.default.setAttributes(
            [.modificationDate: clock.now.addingTimeInterval(-7200)], ofItemAtPath: temporary)
        try cache.save(bytes(10, 1), modelHash: model, tokens: [1])
        XCTAssertFalse(FileManager.default.fileExists(atPath: temporary))
    }

    func testAModelHashMustBeHex() throws {
        let cache = try makeCache()
        XCTAssertThrowsError(try cache.save(Data(), modelHash: "../../etc", tokens: [1]))
    }
}

extension PrefixBlobCacheTests {
    /// The size of a 2,000-token f32 KV cache of SmolLM2-135M (30 layers, K and V, 3 heads of
    /// 64): how long saving and loading one takes, validation included.
    func testALargeBlobSavesAndLoadsInAFractionOfASecond() throws {
        let size = 30 * 2 * 3 * 64 * 2000 * 4
        let cache = try makeCache(capacity: 1 << 30)
        let payload = Data(count: size)
        let tokens = Array(0..<2000)
        var started = Date()
        try cache.save(payload, modelHash: model, tokens: tokens)
        let saved = Date().timeIntervalSince(started)
        started = Date()
        let hit = try cache.load(modelHash: model, tokens: tokens + [1, 2, 3])
        let loaded = Date().timeIntervalSince(started)
        XCTAssertEqual(hit?.tokenCount, 2000)
        XCTAssertEqual(hit?.payload.count, size)
        print(String(format: "blob of %.1f MB: save %.3f s, load %.3f s", Double(size) / 1e6, saved, loaded))
    }
}
