import Foundation
import XCTest

/// Golden screens as text files in `Golden/` beside this file (bubbletea's
/// `testdata/*.golden`). `OCTET_UPDATE_GOLDEN=1 swift test` writes them anew; review the
/// diff before committing.
enum Golden {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    static func assert(_ name: String, _ actual: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = directory.appendingPathComponent(name + ".txt")
        let text = actual + "\n"
        if ProcessInfo.processInfo.environment["OCTET_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("no golden file \(name).txt (run with OCTET_UPDATE_GOLDEN=1)", file: file, line: line)
            return
        }
        if expected != text {
            XCTFail("screen \(name) differs:\n--- actual\n\(text)--- expected\n\(expected)", file: file, line: line)
        }
    }
}
