import XCTest
@testable import OctetChat

/// Reading the small text files a user edits without trusting them (issue 8): whatever is at
/// the path, no hang, no huge allocation, and a reason for every refusal.
final class UserTextFileTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-user-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    private func assertProblem(_ name: String, _ expected: UserTextFile.Problem, limit: Int = UserTextFile.defaultLimit,
                               line: UInt = #line) {
        XCTAssertThrowsError(try UserTextFile.read(path(name), limit: limit), line: line) {
            XCTAssertEqual($0 as? UserTextFile.Problem, expected, line: line)
        }
    }

    func testSmallUTF8TextIsRead() throws {
        try Data("名前: 翻訳\n".utf8).write(to: URL(fileURLWithPath: path("ok.yaml")))
        XCTAssertEqual(try UserTextFile.read(path("ok.yaml")), "名前: 翻訳\n")
        try FileManager.default.createSymbolicLink(atPath: path("link.yaml"), withDestinationPath: path("ok.yaml"))
        XCTAssertEqual(try UserTextFile.read(path("link.yaml")), "名前: 翻訳\n", "a link to a file is fine")
    }

    func testWhatIsNotASmallTextFileIsRefusedWithItsReason() throws {
        try FileManager.default.createDirectory(atPath: path("folder.yaml"), withIntermediateDirectories: false)
        XCTAssertEqual(mkfifo(path("fifo.yaml"), 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: path("zero.yaml"), withDestinationPath: "/dev/zero")
        try FileManager.default.createSymbolicLink(atPath: path("random.yaml"), withDestinationPath: "/dev/urandom")
        try FileManager.default.createSymbolicLink(atPath: path("dangling.yaml"), withDestinationPath: path("none"))
        try Data(repeating: 0x61, count: 101).write(to: URL(fileURLWithPath: path("big.yaml")))
        try Data([0x61, 0x3A, 0x00, 0x62]).write(to: URL(fileURLWithPath: path("binary.yaml")))
        try Data([0x61, 0x3A, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: path("latin1.yaml")))
        let started = Date()
        assertProblem("folder.yaml", .notARegularFile(kind: "a directory"))
        assertProblem("fifo.yaml", .notARegularFile(kind: "a FIFO (named pipe)"))
        assertProblem("zero.yaml", .notARegularFile(kind: "a character device"))
        assertProblem("random.yaml", .notARegularFile(kind: "a character device"))
        assertProblem("dangling.yaml", .missing)
        assertProblem("none.yaml", .missing)
        assertProblem("big.yaml", .tooLarge(size: 101, limit: 100), limit: 100)
        assertProblem("binary.yaml", .binary(offset: 2))
        assertProblem("latin1.yaml", .notUTF8(offset: 6))
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "nothing waited for")
        XCTAssertEqual(
            UserTextFile.Problem.tooLarge(size: 2_000_000, limit: 1 << 20).description,
            "is 2000000 bytes, larger than the limit of 1048576 bytes (1 MiB); not read")
    }

    func testABrokenTemplateFolderStillLoadsItsGoodFiles() throws {
        try Data("name: good\ndescription: d\ntemplate: '{{input}}'\n".utf8)
            .write(to: URL(fileURLWithPath: path("good.yaml")))
        try FileManager.default.createSymbolicLink(atPath: path("zero.yaml"), withDestinationPath: "/dev/zero")
        XCTAssertEqual(mkfifo(path("fifo.yaml"), 0o600), 0)
        let library = TemplateLibrary(directories: [root.path])
        XCTAssertEqual(library.names, ["good"])
        XCTAssertEqual(library.problems.map(\.description).sorted(), [
            path("fifo.yaml") + ": is a FIFO (named pipe), not a regular file; not read",
            path("zero.yaml") + ": is a character device, not a regular file; not read",
        ])
    }
}
