import ArgumentParser
import Foundation
import OctetInference

/// `octet logits [--model PATH] [--top K] PROMPT`: the logits after the last token of PROMPT
/// (raw text: no chat format, no template) as a JSON array `[{"id":..,"logit":..}]`, highest
/// first (ties: lowest id first).
struct LogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Print the logits after PROMPT (raw text) as JSON, highest first.")

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "How many logits to print (0: the whole row).")
    var top: Int = 10

    @Argument(help: "The prompt, as raw text (`-` reads stdin, one trailing newline dropped).")
    var prompt: String

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more, not \(top)") }
    }

    func run() throws {
        let text = prompt == "-" ? Self.readStandardInput() : prompt
        let model = try LanguageModel.load(path: modelOptions.modelPath, threads: nil)
        let ids = model.tokenizer.encodePrompt(text)
        guard !ids.isEmpty else { throw ValidationError("the prompt is empty: there is nothing to evaluate") }
        let context = try model.makeContext(contextLength: ids.count)
        let logits = try context.evaluate(ids)
        let count = top == 0 ? logits.count : min(top, logits.count)
        let order = Self.highestFirst(logits, count: count)
        let items = order.map { id -> String in
            let value = logits[id]
            return "{\"id\":\(id),\"logit\":\(value.isFinite ? "\(value)" : "null")}"
        }
        print("[" + items.joined(separator: ",") + "]")
    }

    /// The ids of the `count` largest logits, largest first, ties to the lower id.
    static func highestFirst(_ logits: UnsafeBufferPointer<Float>, count: Int) -> [Int] {
        let sorted = logits.indices.sorted { a, b in
            logits[a] != logits[b] ? logits[a] > logits[b] : a < b
        }
        return Array(sorted.prefix(count))
    }

    /// Standard input as text, without one trailing newline.
    static func readStandardInput() -> String {
        var text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        // "\r\n" is one Character in Swift, so this drops CRLF and LF alike.
        if let last = text.last, last == "\n" || last == "\r\n" { text.removeLast() }
        return text
    }
}
