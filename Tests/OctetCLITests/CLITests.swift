import XCTest
import Foundation

/// Runs the built `octet` binary as a user would and checks what it prints and returns.
final class CLITests: XCTestCase {
    func testVersionAndUsageErrors() throws {
        let version = try OctetProcess.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertFalse(version.stdout.isEmpty)

        let bad = try OctetProcess.run(["--no-such-flag"])
        XCTAssertEqual(bad.status, 1, "usage errors exit 1, not ArgumentParser's 64")
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.hasPrefix("octet: "), bad.stderr)
    }
}
