import ArgumentParser
import Foundation
import OctetChat

/// `octet templates`: the prompt templates in use, with their descriptions and files. A
/// broken file is reported on stderr; the others are still listed.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "List the prompt templates: name, description, source file.")

    func run() throws {
        let library = TemplateOptions.library()
        let width = library.names.map(\.count).max() ?? 0
        var out = ""
        for template in library.templates {
            let name = template.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let description = TerminalOutput.field(template.description)
            out += "\(name)  \(description)  (\(TerminalOutput.field(template.source)))\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        for problem in library.problems { TemplateOptions.warn(problem.description) }
        if library.templates.isEmpty {
            let folders = library.directories.joined(separator: ", ")
            throw ValidationError("no prompt templates found (looked in \(folders))")
        }
    }
}
