import XCTest
@testable import OctetChat

/// Loading folders of templates: overrides by name, broken files reported, others loaded.
final class TemplateLibraryTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func write(_ folder: String, _ file: String, _ text: String) throws -> String {
        let dir = root.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(file)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testAUserTemplateOverridesAShippedOneByName() throws {
        let user = root.appendingPathComponent("user").path
        let mine = try write("user", "mine.yaml", "name: translate\ndescription: Mine\ntemplate: 'T: {{input}}'\n")
        let library = TemplateLibrary(directories: [user, PromptTemplateTests.shippedPrompts])
        let translate = try library.template(named: "translate")
        XCTAssertEqual(translate.description, "Mine")
        XCTAssertEqual(translate.source, mine)
        XCTAssertEqual(library.templates.filter { $0.name == "translate" }.count, 1)
        XCTAssertNotNil(library["zero-shot"], "the other shipped templates are still there")
    }

    func testABrokenFileIsReportedAndTheOthersLoad() throws {
        let good = "name: good\ndescription: d\ntemplate: '{{input}}'\n"
        _ = try write("p", "good.yaml", good)
        let bad = try write("p", "bad.yaml", "name: bad\ndescription: d\ntemplate: '{{input}}'\nexamples:\n  - input: a\n")
        _ = try write("p", "notes.txt", "not a template")
        let library = TemplateLibrary(directories: [root.appendingPathComponent("p").path])
        XCTAssertEqual(library.names, ["good"])
        XCTAssertEqual(library.problems.map(\.description), ["\(bad):5: examples[0].output: missing"])
        XCTAssertThrowsError(try library.template(named: "bad")) { error in
            XCTAssertEqual("\(error)", "\(bad):5: examples[0].output: missing", "the file's own problem")
        }
        XCTAssertThrowsError(try library.template(named: "nope")) { error in
            XCTAssertEqual(error as? ChatError, .unknownTemplate(name: "nope", available: ["good"]))
        }
    }

    func testTwoFilesWithOneNameInOneFolder() throws {
        _ = try write("p", "a.yaml", "name: same\ndescription: first\ntemplate: '{{input}}'\n")
        let second = try write("p", "b.yaml", "name: same\ndescription: second\ntemplate: '{{input}}'\n")
        let library = TemplateLibrary(directories: [root.appendingPathComponent("p").path])
        XCTAssertEqual(library["same"]?.description, "first")
        XCTAssertEqual(library.problems.count, 1)
        XCTAssertTrue(library.problems[0].description.hasPrefix(second), library.problems[0].description)
    }

    func testMissingFoldersAreSkippedAndDirectoriesAreInOrder() {
        XCTAssertEqual(TemplateLibrary(directories: ["/no/such/dir"]).templates, [])
        XCTAssertEqual(
            TemplateLibrary.directories(userConfigDirectory: "/c/octet", shippedDataDirectories: ["/d", "/e"]),
            ["/c/octet/prompts", "/d/Prompts", "/e/Prompts"])
    }
}
