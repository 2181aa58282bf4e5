import ArgumentParser
import Foundation

/// The `octet` command: the chat screen by default, and the one-shot subcommands of
/// DESIGN.md. Wiring only: every command builds domain values and calls the libraries.
@main
struct Octet: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "octet",
        abstract: "A terminal chat with a language model running on this CPU, offline.",
        version: version,
        subcommands: [
            ChatCommand.self, RunCommand.self, PromptCommand.self, TokenizeCommand.self,
            ListCommand.self, ShowCommand.self, SearchCommand.self, ExportCommand.self,
            ImportCommand.self, RenameCommand.self, DeleteCommand.self,
            TemplatesCommand.self, ThemesCommand.self, ModelCommand.self, LogitsCommand.self,
            BenchCommand.self,
        ],
        defaultSubcommand: ChatCommand.self
    )

    /// ArgumentParser exits 64 on usage errors and prints several lines; DESIGN.md asks for
    /// one clear line on stderr and exit status 1 for every user error.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static func exit(withError error: Error) -> Never {
        let code = exitCode(for: error)
        if code == .success {
            // --help, --version: ArgumentParser's own text on stdout.
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        // A file name or a value in the message may hold control characters: shown, not obeyed.
        let message = TerminalOutput.message(Octet.oneLine(for: error))
        FileHandle.standardError.write(Data(("octet: " + message + "\n").utf8))
        Foundation.exit(1)
    }

    /// The first meaningful line of an error's message. Octet's own errors (and the
    /// messages of `ValidationError`s) are one line by contract and are taken whole: a line
    /// break in them comes from a value (a file name), which the caller shows as a symbol.
    static func oneLine(for error: Error) -> String {
        if let validation = error as? ValidationError { return validation.message }
        let type = String(reflecting: Swift.type(of: error))
        if type.hasPrefix("Octet") || type.hasPrefix("octet.") { return "\(error)" }
        let text = message(for: error)
        let lines = text.split(whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let first = lines.first { !$0.isEmpty } ?? "failed"
        return first.hasPrefix("Error: ") ? String(first.dropFirst(7)) : first
    }
}
