import ArgumentParser
import Foundation
import OctetChat
import OctetStore

// The history commands that change it: `import`, `rename`, `delete` (DESIGN.md).

// MARK: - import

/// `octet import FILE`: stores a JSON transcript as a new conversation and prints its id.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a JSON transcript (from `octet export --format json`).")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The JSON file, or - for stdin.") var file: String

    func run() throws {
        let data: Data
        if file == "-" {
            data = try StandardInput.readAll()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw ValidationError("\(file): cannot read the file")
            }
            data = contents
        }
        let conversation: Conversation
        do {
            conversation = try Transcript.conversation(fromJSON: data)
        } catch {
            throw ValidationError("\(file): \(error)")
        }
        let stored = try database.open().createConversation(conversation)
        print(stored.id ?? 0)
    }
}

// MARK: - rename

/// `octet rename ID TITLE`.
struct RenameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename", abstract: "Give a conversation a new title.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The conversation's id.") var id: Int64
    @Argument(help: "The new title.") var title: String

    func run() throws {
        try database.open().renameConversation(id: id, to: title)
    }
}

// MARK: - delete

/// `octet delete ID [--yes]`: asks first on a terminal; refuses without `--yes` otherwise.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a conversation and its messages.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The conversation's id.") var id: Int64
    @Flag(name: .long, help: "Do not ask.") var yes = false

    func run() throws {
        let store = try database.open()
        let conversation = try store.loadConversation(id: id)
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                throw ValidationError(
                    "not deleting conversation \(id) without --yes (stdin is not a terminal)")
            }
            let title = TerminalOutput.message(conversation.title)
            let question = "Delete conversation \(id) “\(title)”? [y/N] "
            FileHandle.standardError.write(Data(question.utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else {
                FileHandle.standardError.write(Data("Kept conversation \(id).\n".utf8))
                return
            }
        }
        try store.deleteConversation(id: id)
    }
}
