import ArgumentParser
import Foundation
import OctetChat

/// `--template NAME`, `--var KEY=VALUE ...`, `--system TEXT`: shared by `prompt` and `run`.
struct TemplateOptions: ParsableArguments {
    @Option(name: .long, help: "The prompt template to dress the prompt with (see `octet templates`).")
    var template: String?

    @Option(name: .customLong("var"), help: "A template variable, KEY=VALUE (repeatable).")
    var variables: [String] = []

    @Option(name: .long, help: "The system prompt (replaces the template's and the model's default).")
    var system: String?

    func validate() throws {
        _ = try variableValues()
    }

    /// `--var` values by name.
    /// - Throws: `ChatError.badVariable` for text without `=` or with an empty key.
    func variableValues() throws -> [String: String] {
        var values: [String: String] = [:]
        for text in variables {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ChatError.badVariable(text: text)
            }
            values[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return values
    }

    /// The chosen template, from the user's and the shipped folders; nil without
    /// `--template`. Problems of other template files are printed as warnings.
    func loadTemplate() throws -> PromptTemplate? {
        guard let template else { return nil }
        let library = Self.library()
        for problem in library.problems { Self.warn(problem.description) }
        return try library.template(named: template)
    }

    /// Every template folder, best first (DESIGN.md "Dependencies").
    static func library() -> TemplateLibrary {
        TemplateLibrary(directories: TemplateLibrary.directories(
            userConfigDirectory: Paths.configDirectory,
            shippedDataDirectories: Paths.shippedDataDirectories))
    }

    /// One `octet: ...` line on stderr that is not a problem (`saved as conversation 12`).
    static func note(_ text: String) {
        FileHandle.standardError.write(Data("octet: \(TerminalOutput.message(text))\n".utf8))
    }

    /// One `octet: warning: ...` line on stderr.
    @Sendable static func warn(_ text: String) {
        FileHandle.standardError.write(
            Data("octet: warning: \(TerminalOutput.message(text))\n".utf8))
    }
}
