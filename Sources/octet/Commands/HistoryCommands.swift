import ArgumentParser
import Foundation
import OctetChat
import OctetStore

// The history commands that read: `list`, `show`, `search`, `export` (DESIGN.md, "Command
// line"). `import`, `rename` and `delete` are in HistoryEditCommands.swift.

// MARK: - list

/// `octet list [--json]`: the conversations, most recently active first.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the saved conversations, newest first.")

    @OptionGroup var database: DatabaseOptions
    @Flag(name: .long, help: "Print a JSON array of {id, title, created, updated, ...}.")
    var json = false

    func run() throws {
        let conversations = try database.open().listConversations()
        if json {
            try HistoryOutput.printJSON(conversations.map(HistoryOutput.object))
            return
        }
        for summary in conversations {
            let flag = summary.endsWithIncompleteReply ? "  (interrupted)" : ""
            print(
                "\(HistoryOutput.padded(summary.id))  \(HistoryOutput.localTime(summary.updated))"
                    + "  \(TerminalOutput.field(summary.title))\(flag)")
        }
    }
}

// MARK: - show

/// `octet show ID`: the transcript as Markdown (what `export --format md` prints).
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a conversation as Markdown.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The conversation's id (see `octet list`).") var id: Int64

    func run() throws {
        let conversation = try database.open().loadConversation(id: id)
        print(TerminalOutput.text(Transcript.markdown(conversation)), terminator: "")
    }
}

// MARK: - search

/// `octet search QUERY [--json]`: conversations whose messages match, best first, one line
/// (one object) per conversation with its best snippet.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search the saved conversations.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The words to find (all of them; Chinese and Japanese too).") var query: String
    @Flag(name: .long, help: "Print a JSON array of {id, title, updated, snippet, ...}.")
    var json = false

    func run() throws {
        let hits = try database.open().search(query)
        if json {
            try HistoryOutput.printJSON(hits.map(HistoryOutput.object))
            return
        }
        for hit in hits {
            let id = HistoryOutput.padded(hit.conversationID)
            let title = TerminalOutput.field(hit.title)
            print("\(id)  \(title)  —  \(TerminalOutput.field(hit.markedSnippet()))")
        }
    }
}

// MARK: - export

/// `octet export ID [--format md|json]`: the transcript on stdout.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Print a conversation as Markdown or JSON.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, json
    }

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The conversation's id.") var id: Int64
    @Option(name: .long, help: "md (readable, the default) or json (to import again).")
    var format: Format = .md

    func run() throws {
        let conversation = try database.open().loadConversation(id: id)
        switch format {
        case .md:
            print(TerminalOutput.text(Transcript.markdown(conversation)), terminator: "")
        case .json:
            FileHandle.standardOutput.write(
                TerminalOutput.json(try Transcript.json(conversation)) + Data("\n".utf8))
        }
    }
}
