import ArgumentParser
import Foundation
import OctetChat
import OctetGGUF
import OctetInference

/// `octet model info [PATH]`: what a model file holds, read from its header (no weights).
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "About a model file.", subcommands: [ModelInfoCommand.self])
}

struct ModelInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print a model's architecture, sizes, tensor types, tokenizer and chat format.")

    @Argument(help: "The GGUF file (default: the model `make model` installs).")
    var path: String?

    func run() throws {
        let file = try GGUFFile(path: path ?? Paths.defaultModel)
        let config = try ModelConfig(file: file)
        let tokenizer = try ModelTokenizer(file: file)
        for (label, value) in Self.rows(file, config, tokenizer) {
            // The values come from the file (its name, its tokens): shown, never obeyed.
            print(label.padding(toLength: 15, withPad: " ", startingAt: 0) + TerminalOutput.field(value))
        }
    }

    static func rows(_ file: GGUFFile, _ c: ModelConfig, _ t: ModelTokenizer) -> [(String, String)] {
        let parameters = file.tensors.reduce(0) { $0 + $1.elementCount }
        let detection = ChatFormat.detect(template: t.chatTemplate)
        let chat = "\(detection.format.name) (\(family(detection.format)), " + (t.chatTemplate == nil
            ? "the file has no chat template)"
            : detection.warning == nil ? "from the file's chat template)" : "template not recognised)")
        return [
            ("file", "\(file.name) (GGUF v\(file.version), \(megabytes(file.fileSize)))"),
            ("architecture", c.architecture + (c.name.map { " (\($0))" } ?? "")),
            ("parameters", String(format: "%.1fM", Double(parameters) / 1e6)),
            ("layers", "\(c.layerCount)"),
            ("embedding", "\(c.embeddingDim) dim, feed-forward \(c.feedForwardDim)"),
            ("heads", "\(c.headCount) query / \(c.headCountKV) key-value, head dim \(c.headDim)"),
            ("context", "\(c.contextLength) tokens"),
            ("rope", "base \(number(c.ropeBase)), scale \(number(c.ropeScale))"),
            ("rms norm eps", "\(c.normEpsilon)"),
            ("vocabulary", "\(c.vocabularySize) (\(t.kind))"),
            ("output", c.tiedEmbeddings ? "tied to the token embedding" : "separate output.weight"),
            ("tensor types", tensorTypes(file)),
            ("special tokens", specialTokens(t)),
            ("chat format", chat),
        ]
    }

    /// "Q4_1 ×182, F32 ×61, Q8_0 ×30", most frequent first.
    static func tensorTypes(_ file: GGUFFile) -> String {
        let counts = Dictionary(grouping: file.tensors, by: \.type).mapValues(\.count)
        return counts.sorted { ($0.value, $1.key.description) > ($1.value, $0.key.description) }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }

    static func specialTokens(_ t: ModelTokenizer) -> String {
        func show(_ id: Int) -> String { "\(id) \(t.tokenizer.token(id) ?? "?")" }
        var parts: [String] = []
        if let bos = t.tokenBOS { parts.append("BOS \(show(bos))" + (t.addBOS ? "" : " (not added)")) }
        if let eos = t.tokenEOS { parts.append("EOS \(show(eos))") }
        parts.append("end of generation " + t.endOfGeneration.sorted().map(show).joined(separator: ", "))
        return parts.joined(separator: "; ")
    }

    /// The family a format belongs to, as people call it.
    static func family(_ format: ChatFormat) -> String {
        switch format {
        case .chatmlSmolLM2, .chatml: return "ChatML"
        case .llama3, .llama3HF: return "Llama 3"
        case .mistralV1, .mistralV02: return "Mistral [INST]"
        case .llama2Sys: return "Llama 2 [INST] <<SYS>>"
        case .zephyr: return "Zephyr"
        case .gemma: return "Gemma"
        case .phi3: return "Phi-3"
        }
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
