import ArgumentParser
import Foundation
import OctetTUI

/// `octet themes`: the colour themes the chat screen can use (`--theme NAME`, `/theme NAME`),
/// with their descriptions and files. A broken file is reported on stderr; the others are
/// still listed.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes", abstract: "List the colour themes: name, description, source file.")

    /// The user's themes first, then the shipped ones (DESIGN.md "Dependencies").
    static func library() -> ThemeLibrary {
        ThemeLibrary(directories: [Paths.configDirectory + "/themes"]
            + ThemeLibrary.shippedDirectories(in: Paths.shippedDataDirectories))
    }

    func run() throws {
        let library = Self.library()
        let names = library.names()
        let width = names.map { TerminalOutput.field($0).count }.max() ?? 0
        var out = ""
        for name in names {
            do {
                let theme = try library.theme(named: name)
                let padded = TerminalOutput.field(name).padding(
                    toLength: width, withPad: " ", startingAt: 0)
                let description = TerminalOutput.field(theme.description)
                let path = TerminalOutput.field(library.path(of: name) ?? "")
                out += "\(padded)  \(description)  (\(path))\n"
            } catch {
                TemplateOptions.warn("\(error)")
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        if names.isEmpty {
            throw ValidationError("no themes found (looked in \(library.directories.joined(separator: ", ")))")
        }
    }
}
