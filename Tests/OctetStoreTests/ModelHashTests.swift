import Foundation
import XCTest
@testable import OctetStore

/// The model file's SHA-256: right, computed once, recomputed only when the file changes.
final class ModelHashTests: XCTestCase {
    func testTheHashIsSHA256AndIsCachedByPathSizeAndTime() throws {
        // Given a small "model" file
        let folder = try makeTemporaryDirectory()
        let file = folder.appendingPathComponent("tiny.gguf")
        try Data("abc".utf8).write(to: file)
        let db = try AppDatabase.inMemory()
        // When it is hashed
        let hash = try db.modelHash(ofFile: file.path)
        // Then it is SHA-256("abc")
        XCTAssertEqual(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // When the cached value is replaced behind the store's back
        let fake = String(repeating: "0", count: 64)
        try db.write { db in try db.execute(sql: "UPDATE modelFile SET sha256 = ?", arguments: [fake]) }
        // Then the next call answers from the cache, without reading the file again
        XCTAssertEqual(try db.modelHash(ofFile: file.path), fake)
        // When the file changes (new content, new time)
        try Data("abcd".utf8).write(to: file)
        // Then it is hashed again
        XCTAssertEqual(
            try db.modelHash(ofFile: file.path),
            "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589")
        XCTAssertEqual(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM modelFile") }, 1)
    }

    func testATouchedFileIsHashedAgain() throws {
        let file = try makeTemporaryDirectory().appendingPathComponent("m.gguf")
        try Data("abc".utf8).write(to: file)
        let db = try AppDatabase.inMemory()
        _ = try db.modelHash(ofFile: file.path)
        try db.write { db in try db.execute(sql: "UPDATE modelFile SET sha256 = ?", arguments: [String(repeating: "1", count: 64)]) }
        // Same size, new modification time
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: file.path)
        XCTAssertEqual(
            try db.modelHash(ofFile: file.path),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testAMissingFileIsAnErrorNamingIt() throws {
        let db = try AppDatabase.inMemory()
        XCTAssertThrowsError(try db.modelHash(ofFile: "/no/such/model.gguf")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/no/such/model.gguf: "), "\(error)")
        }
    }

    func testTheDefaultModelsHashMatchesTheReference() throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        let data = ProcessInfo.processInfo.environment["XDG_DATA_HOME"] ?? home + "/.local/share"
        let model = data + "/octet/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: model), "run `make model`")
        let db = try AppDatabase.inMemory()
        let started = Date()
        let hash = try db.modelHash(ofFile: model)
        let first = Date().timeIntervalSince(started)
        let again = Date()
        XCTAssertEqual(try db.modelHash(ofFile: model), hash)
        let cached = Date().timeIntervalSince(again)
        XCTAssertEqual(hash, "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")
        XCTAssertLessThan(cached, 0.05, "a cached hash must not read the file")
        print("model hash: first \(String(format: "%.3f", first)) s, cached \(String(format: "%.4f", cached)) s")
    }
}
