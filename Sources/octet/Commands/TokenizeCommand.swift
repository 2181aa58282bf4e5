import ArgumentParser
import Foundation
import OctetGGUF
import OctetInference

/// `octet tokenize [--model PATH] [TEXT]`: the token ids of TEXT (or of stdin, byte for byte)
/// as a JSON array, as the model gets them: control tokens matched, BOS first when the file
/// asks for it (`tokenizer.ggml.add_bos_token`; when absent, SentencePiece vocabularies add it
/// and byte-level BPE ones do not, as llama.cpp's `llama-tokenize` does). No EOS.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of TEXT (stdin if absent) as a JSON array.")

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "The text to tokenize; read from stdin, unchanged, when absent.")
    var text: String?

    func run() throws {
        let input = try text ?? StandardInput.readAllText(trimmingOneNewline: false)
        let tokenizer = try ModelTokenizer(file: GGUFFile(path: modelOptions.modelPath))
        let ids = tokenizer.encodePrompt(input)
        print("[" + ids.map(String.init).joined(separator: ",") + "]")
    }
}
