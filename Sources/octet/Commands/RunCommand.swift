import ArgumentParser
import Foundation
import OctetChat
import OctetInference

/// `octet run PROMPT`: one reply, streamed to stdout as it is generated (or one JSON object
/// with `--json`). Ctrl-C stops the reply at once, keeps what was generated, exits 0.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Generate one reply to PROMPT and print it.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var templates: TemplateOptions
    @Flag(help: "Send PROMPT as is: no chat format, no template.")
    var raw = false
    @Option(name: .customLong("chat-format"), help: "The chat format (default: the model's own).")
    var chatFormat: String?
    @Option(help: "Context window in tokens (default: the model's).")
    var ctx: Int?
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "Threads for the forward pass (default: all cores).")
    var threads: Int?
    @Flag(help: "Print one JSON object: text, ids, stats.")
    var json = false
    @Flag(help: "Store the exchange as a new conversation; its id goes to stderr.")
    var save = false
    @Option(help: "Continue the stored conversation ID and store the new turn.")
    var resume: Int64?
    @Argument(help: "The prompt; - reads it from stdin.")
    var prompt: String

    func validate() throws {
        if save, resume != nil { throw ValidationError("--save and --resume exclude each other") }
        if let ctx, ctx < 1 { throw ValidationError("--ctx \(ctx): must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): must be at least 1") }
        if raw, templates.template != nil || templates.system != nil || chatFormat != nil {
            throw ValidationError("--raw sends the prompt as is: no --template, --system or --chat-format")
        }
        if let chatFormat, ChatFormat(name: chatFormat) == nil {
            throw ChatError.unknownChatFormat(name: chatFormat)
        }
        if raw, save || resume != nil {
            throw ValidationError("--save and --resume store a chat turn: not with --raw")
        }
    }

    func run() async throws {
        // Caught from the start, so a Ctrl-C while the model loads ends the run cleanly too.
        let stop = CancellationFlag()
        let interrupt = InterruptHandler { stop.cancel() }
        defer { interrupt.restore() }
        let text = try PromptInput.read(prompt)
        let output = RunOutput(json: json)
        var saveCache: (() async -> Void)?
        if raw {
            try await runRaw(text, stop: stop, output: output)
        } else {
            saveCache = try await runChat(text, stop: stop, output: output)
        }
        try output.finish()
        // After the reply is stored and printed: it never waits for the KV cache's file.
        await saveCache?()
    }

    /// `--raw`: the text as is, straight to the generator.
    private func runRaw(_ text: String, stop: CancellationFlag, output: RunOutput) async throws {
        let engine = try EngineLoader.load(
            path: modelOptions.modelPath, threads: threads, contextLength: ctx)
        let request = GenerationRequest(
            prompt: engine.tokenizer.encodePrompt(text), maxTokens: sampling.maxTokens,
            sampling: sampling.parameters(seed: .random(in: .min ... .max)),
            ignoreEOS: sampling.ignoreEOS)
        let generator = Generator(model: engine.model, tokenizer: engine.tokenizer)
        for await event in try generator.generate(request, cancellation: stop) {
            output.handle(event)
        }
    }
}
