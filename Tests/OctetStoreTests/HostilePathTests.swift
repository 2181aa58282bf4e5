import Foundation
import XCTest
@testable import OctetStore

/// `--db` paths that are not database files (issue 8): said as they are, nothing created in
/// their place.
final class HostilePathTests: XCTestCase {
    func testASymbolicLinkLoopIsNamedAsSuch() throws {
        let folder = try makeTemporaryDirectory()
        let a = folder.appendingPathComponent("a").path, b = folder.appendingPathComponent("b").path
        try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: b)
        try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: a)
        assertThrows(.io(path: a, problem: "Too many levels of symbolic links")) { try AppDatabase(path: a) }
    }

    func testAFIFOAndAFolderAreRefusedWithoutWaiting() throws {
        let folder = try makeTemporaryDirectory()
        let fifo = folder.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        assertThrows(.io(path: fifo, problem: "not a regular file (a FIFO)")) { try AppDatabase(path: fifo) }
        assertThrows(.io(path: folder.path, problem: "not a regular file (a directory)")) {
            try AppDatabase(path: folder.path)
        }
    }

    func testAnEmptyFileBecomesAPrivateDatabase() throws {
        let path = try makeTemporaryDirectory().appendingPathComponent("empty.sqlite").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
        let db = try AppDatabase(path: path)
        XCTAssertEqual(try db.integrityCheck(), "ok")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
    }
}
