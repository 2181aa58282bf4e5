/// Why the chat screen could not start or could not read one of its files. One line each,
/// naming the file, line and field where there is one (DESIGN.md "Files the user edits").
public enum OctetTUIError: Error, CustomStringConvertible, Equatable {
    /// `TERM` is not set or empty: ncurses cannot know how to drive the terminal.
    case noTerminalType
    /// ncurses has no description of this terminal type (no terminfo entry).
    case unknownTerminal(String)
    /// Standard input or output is not a terminal (a pipe, a file).
    case notATerminal
    /// ncurses refused a call it needs (`newterm`, `set_term`...).
    case terminalFailed(String)
    /// A YAML file (theme or config) is malformed: `file:line: field: problem`.
    case invalidFile(file: String, line: Int?, field: String?, problem: String)
    /// No theme with this name in any themes folder.
    case noSuchTheme(name: String, known: [String])
    /// A file could not be read or written.
    case io(path: String, problem: String)

    public var description: String {
        switch self {
        case .noTerminalType:
            return
                "TERM is not set; the chat screen needs a terminal type (e.g. TERM=xterm-256color)"
        case .unknownTerminal(let term):
            return "unknown terminal type \"\(term)\" (no terminfo entry); try TERM=xterm-256color"
        case .notATerminal:
            return "the chat screen needs a terminal (standard input and output are not one)"
        case .terminalFailed(let what):
            return "the terminal could not be set up: \(what)"
        case .invalidFile(let file, let line, let field, let problem):
            var text = file
            if let line { text += ":\(line)" }
            if let field { text += ": \(field)" }
            return text + ": " + problem
        case .noSuchTheme(let name, let known):
            let list = known.isEmpty ? "none found" : known.joined(separator: ", ")
            return "no theme named \"\(name)\" (themes: \(list))"
        case .io(let path, let problem):
            return "\(path): \(problem)"
        }
    }
}
