import ArgumentParser
import Foundation
import OctetChat
import OctetGGUF
import OctetInference

/// `octet prompt`: the exact text the model would get, without generating (DESIGN.md).
struct PromptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Show the exact prompt the model would get (no generation).")

    @OptionGroup var model: ModelOptions
    @Option(name: .long, help: "The chat format (\(ChatFormat.names.joined(separator: ", "))).")
    var chatFormat: String?
    @Option(name: .long, help: "A Jinja chat template file; its recognised format is used.")
    var chatTemplateFile: String?
    @OptionGroup var templates: TemplateOptions
    @Option(name: .long, help: "A JSON array of {role, content} messages to render first.")
    var messages: String?
    @Flag(name: .long, help: "Do not end with the header that starts the assistant's reply.")
    var noGenerationPrompt = false
    @Flag(name: .long, help: "Print {text, ids, token_count} as JSON.")
    var json = false
    @Argument(help: "The user's message, appended last ('-' reads stdin).")
    var prompt: String?

    func validate() throws {
        if chatFormat != nil, chatTemplateFile != nil {
            throw ValidationError("--chat-format and --chat-template-file cannot be used together")
        }
        if prompt == nil, messages == nil {
            throw ValidationError("give a PROMPT or --messages FILE")
        }
    }

    func run() throws {
        let tokenizer = try ModelTokenizer(file: GGUFFile(path: model.modelPath))
        let format = try chosenFormat(modelTemplate: tokenizer.chatTemplate)
        let plan = try PromptPlan.make(
            history: try readMessages(), input: try promptText(),
            template: try templates.loadTemplate(), systemPrompt: templates.system,
            variables: try templates.variableValues())
        let text = try format.render(
            plan.messages(), bos: tokenizer.textBOS, eos: tokenizer.textEOS,
            addGenerationPrompt: !noGenerationPrompt)
        // Exact through a pipe; on a terminal the control characters are shown as symbols.
        guard json else {
            FileHandle.standardOutput.write(Data(TerminalOutput.text(text).utf8))
            return
        }
        let ids = tokenizer.encodePrompt(text)
        FileHandle.standardOutput.write(TerminalOutput.json(Data(try Self.json(text: text, ids: ids).utf8)))
    }

    /// `--json`'s one line, keys in DESIGN.md's order: `text`, `ids`, `token_count`.
    static func json(text: String, ids: [Int]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let quoted = String(decoding: try encoder.encode(text), as: UTF8.self)
        let list = ids.map(String.init).joined(separator: ",")
        return "{\"text\":\(quoted),\"ids\":[\(list)],\"token_count\":\(ids.count)}\n"
    }

    /// `--chat-format`, else the format of `--chat-template-file`, else the model's own.
    private func chosenFormat(modelTemplate: String?) throws -> ChatFormat {
        if let chatFormat {
            guard let format = ChatFormat(name: chatFormat) else {
                throw ChatError.unknownChatFormat(name: chatFormat)
            }
            return format
        }
        var template = modelTemplate
        if let chatTemplateFile {
            guard let data = FileManager.default.contents(atPath: chatTemplateFile) else {
                throw ValidationError("\(chatTemplateFile): cannot be read")
            }
            template = String(decoding: data, as: UTF8.self)
        }
        let detection = ChatFormat.detect(template: template)
        if let warning = detection.warning { TemplateOptions.warn(warning) }
        return detection.format
    }

    /// PROMPT, with `-` read from stdin less one trailing newline.
    private func promptText() throws -> String? {
        guard prompt == "-" else { return prompt }
        var text = String(decoding: try StandardInput.readAll(), as: UTF8.self)
        if text.hasSuffix("\r\n") {
            text.removeLast()  // "\r\n" is one Character
        } else if text.hasSuffix("\n") {
            text.removeLast()
        }
        return text
    }

    /// `--messages FILE`: `[{role, content}]`.
    private func readMessages() throws -> [ChatMessage] {
        guard let messages else { return [] }
        guard let data = FileManager.default.contents(atPath: messages) else {
            throw ChatError.badMessagesFile(path: messages, problem: "cannot be read")
        }
        do {
            return try JSONDecoder().decode([ChatMessage].self, from: data)
        } catch {
            throw ChatError.badMessagesFile(
                path: messages,
                problem: "expected a JSON array of {\"role\": \"system\"|\"user\"|\"assistant\", \"content\": \"...\"}")
        }
    }
}
