// MARK: - Fuzz target: slash commands
//
// The input is a line typed in the chat screen. It parses into a command or throws a
// `CommandError` with a one-line message; parsing is a pure function of the line.

import OctetTUI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSlashCommand(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let line = FuzzInput(data, size).text
    let first = Result { try SlashCommand.parse(line) }
    let second = Result { try SlashCommand.parse(line) }
    switch (first, second) {
    case (.success(let a), .success(let b)):
        fuzzCheck(a == b, "two parses of \(line.debugDescription) differ")
        check(a, line)
    case (.failure(let error), .failure):
        fuzzCheck(error is CommandError, "not a CommandError: \(error)")
        fuzzCheck(!"\(error)".isEmpty, "empty message")
    default:
        fuzzCheck(false, "two parses of \(line.debugDescription) disagree")
    }
    let prefix = String(line.drop { $0 == "/" }.prefix { !$0.isWhitespace })
    for name in SlashCommand.names(startingWith: prefix) {
        fuzzCheck(name.hasPrefix(prefix.lowercased()), "completion \(name) for \(prefix)")
    }
    return 0
}

/// What the arguments of a parsed command must look like.
private func check(_ command: SlashCommand, _ line: String) {
    switch command {
    case .rename(let title):
        fuzzCheck(!title.isEmpty, "empty title from \(line.debugDescription)")
        fuzzCheck(title.first?.isWhitespace == false && title.last?.isWhitespace == false,
                  "title not trimmed: \(title.debugDescription)")
    case .copy(let number, _):
        fuzzCheck(number.map { $0 > 0 } ?? true, "copy number \(String(describing: number))")
    case .template(let name?), .theme(let name?):
        fuzzCheck(!name.isEmpty && !name.contains(where: \.isWhitespace), "name \(name.debugDescription)")
    default:
        break
    }
}
