import XCTest
@testable import OctetGGUF

/// Issue 8: files a user may give as a model that are not small model files.
final class GGUFHugeFileTests: XCTestCase {
    /// A file far larger than its header needs, whose header claims an array that fits in the
    /// file but not in the first 64 MiB: refused at once, nothing allocated from the count
    /// (issue 8; before, the parser tried to allocate the whole array and crashed).
    func testAHeaderLongerThan64MiBIsRefusedBeforeAnythingIsAllocated() throws {
        var bytes = GGUFCorruptionTests.raw(keys: [("a", .array(.uint8([1, 2, 3])))])
        // key "a": u64 count of its uint8 array at 41; claim 100M bytes.
        bytes.replaceSubrange(41 ..< 49, with: withUnsafeBytes(of: UInt64(100_000_000).littleEndian, Array.init))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("octet-sparse-\(UUID()).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        XCTAssertEqual(truncate(url.path, 200 << 20), 0, "a sparse 200 MiB file")
        XCTAssertThrowsError(try GGUFFile(path: url.path)) { error in
            XCTAssertEqual(error as? GGUFError, .headerTooLarge(file: url.path, limit: 64 << 20))
            XCTAssertTrue("\(error)".hasSuffix(
                "the metadata and tensor table would take more than the first 64 MiB of the file, "
                    + "more than a model's header needs (a count in it is wrong)"), "\(error)")
        }
    }

    /// Opening a FIFO as a model does not wait for a writer.
    func testAFIFOIsRefusedWithoutWaiting() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("octet-fifo-\(UUID()).gguf").path
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        defer { unlink(path) }
        XCTAssertThrowsError(try GGUFFile(path: path)) {
            XCTAssertEqual($0 as? GGUFError, .cannotOpen(file: path, reason: "not a regular file"))
        }
    }
}
