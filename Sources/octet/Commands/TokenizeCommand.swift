import ArgumentParser
import Foundation
import OctetGGUF
import OctetInference

/// `octet tokenize [--model PATH] [TEXT]`: the token ids of TEXT (or of stdin, byte for byte)
/// as a JSON array, with control tokens matched and no BOS/EOS added.
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
        let ids = tokenizer.tokenizer.encode(input, parseSpecial: true)
        print("[" + ids.map(String.init).joined(separator: ",") + "]")
    }
}
