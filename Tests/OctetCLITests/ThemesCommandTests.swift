import Foundation
import XCTest

/// `octet themes` as a user runs it: the shipped themes, a user's own, a broken file.
final class ThemesCommandTests: XCTestCase {
    func testListsShippedAndUserThemesAndReportsBrokenFiles() throws {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("octet-themes-\(UUID())")
        let themes = config.appendingPathComponent("octet/themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: config) }
        try "description: Mine.\nelements:\n  text: { fg: green }\n"
            .write(to: themes.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        try "elements: [\n".write(to: themes.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)

        let result = try OctetProcess.run(["themes"], environment: ["XDG_CONFIG_HOME": config.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let names = result.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(names, ["dark", "high-contrast", "light", "mine", "solarized"])
        XCTAssertTrue(result.stdout.contains("mine           Mine.  (\(themes.path)/mine.yaml)"), result.stdout)
        XCTAssertEqual(result.stderr, "octet: warning: \(themes.path)/broken.yaml:2: did not find expected node content\n")
    }
}
