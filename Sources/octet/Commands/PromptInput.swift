import ArgumentParser
import Foundation

/// The PROMPT argument of `octet run`: the text itself, or stdin when it is `-`.
enum PromptInput {
    /// `argument`, or all of stdin for `-` with one trailing newline (`\n` or `\r\n`) removed
    /// (DESIGN.md), so `echo hi | octet run -` sends "hi".
    /// - Throws: `ValidationError` when stdin is not UTF-8 text.
    static func read(_ argument: String) throws -> String {
        guard argument == "-" else { return argument }
        let data = try StandardInput.readAll()
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("the prompt on stdin is not UTF-8 text")
        }
        return dropOneTrailingNewline(text)
    }

    static func dropOneTrailingNewline(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        guard scalars.last == "\n" else { return text }
        scalars.removeLast()
        if scalars.last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
