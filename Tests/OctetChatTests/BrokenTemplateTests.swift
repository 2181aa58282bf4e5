import XCTest
@testable import OctetChat

/// Broken template files: each error names the file, the line and the field.
final class BrokenTemplateTests: XCTestCase {
    private func message(_ yaml: String, file: String = "Prompts/x.yaml") -> String {
        do {
            _ = try PromptTemplateParser.parse(yaml, file: file)
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    private let valid = """
        name: x
        description: d
        template: "{{input}}"
        """

    func testAMissingExampleOutputNamesItsLineAndPath() {
        let yaml = valid + """

            examples:
              - input: one
                output: uno
              - input: two
            """
        XCTAssertEqual(message(yaml), "Prompts/x.yaml:7: examples[1].output: missing")
    }

    func testAMissingRequiredField() {
        XCTAssertEqual(message("name: x\ndescription: d\n"), "Prompts/x.yaml:1: template: missing")
        XCTAssertEqual(message("description: d\ntemplate: '{{input}}'\n"), "Prompts/x.yaml:1: name: missing")
    }

    func testAnUnknownFieldIsNotIgnored() {
        XCTAssertEqual(
            message(valid + "\nexmaples: []\n"),
            "Prompts/x.yaml:4: exmaples: unknown field (known: "
                + PromptTemplateParser.fields.joined(separator: ", ") + ")")
    }

    func testAYAMLSyntaxErrorHasItsLine() {
        let text = message("name: x\ndescription: [unclosed\ntemplate: '{{input}}'\n")
        XCTAssertTrue(text.hasPrefix("Prompts/x.yaml:"), text)
        XCTAssertTrue(text.contains("YAML:"), text)
        XCTAssertNotEqual(text, "parsed")
    }

    func testAWrongTypeNamesTheField() {
        XCTAssertEqual(
            message("name: x\ndescription: d\ntemplate:\n  a: b\n"),
            "Prompts/x.yaml:4: template: expected text")
        XCTAssertEqual(
            message(valid + "\nstop:\n  key: value\n"), "Prompts/x.yaml:5: stop: expected a list of text")
    }

    func testASamplingValueOutOfRange() {
        XCTAssertEqual(
            message(valid + "\nsampling:\n  temperature: -1\n"),
            "Prompts/x.yaml:5: sampling.temperature: expected a number >= 0")
        XCTAssertEqual(
            message(valid + "\nsampling:\n  top_k: many\n"),
            "Prompts/x.yaml:5: sampling.top_k: expected a whole number >= 0")
        XCTAssertEqual(
            message(valid + "\nsampling:\n  temprature: 1\n"),
            "Prompts/x.yaml:5: sampling.temprature: unknown field (known: "
                + FieldReader.samplingKeys.joined(separator: ", ") + ")")
    }

    func testAMustacheErrorPointsIntoTheTemplateText() {
        let yaml = "name: x\ndescription: d\ntemplate: |\n  Line one {{input}}\n  {{#open}} never closed\n"
        let text = message(yaml)
        XCTAssertTrue(text.hasPrefix("Prompts/x.yaml:5: template: Mustache: "), text)
    }

    func testATemplateWithoutInput() {
        XCTAssertEqual(
            message("name: x\ndescription: d\ntemplate: Hello {{name}}\n"),
            "Prompts/x.yaml:3: template: does not use {{input}}")
    }

    func testADuplicateKey() {
        XCTAssertEqual(message(valid + "\nname: y\n"), "Prompts/x.yaml:1: name: appears more than once")
    }

    func testABadNameAndABadDefault() {
        XCTAssertEqual(
            message("name: two words\ndescription: d\ntemplate: '{{input}}'\n"),
            "Prompts/x.yaml:1: name: use letters, digits, '.', '_' and '-' only")
        XCTAssertEqual(
            message(valid + "\nvariables:\n  input: x\n"),
            "Prompts/x.yaml:5: variables.input: input is the user's text and cannot have a default")
    }

    func testTheWholeFileIsNotAMapping() {
        XCTAssertTrue(message("- a\n- b\n").hasPrefix("Prompts/x.yaml:1: expected a mapping of fields"))
        XCTAssertEqual(message(""), "Prompts/x.yaml: is empty")
    }
}
