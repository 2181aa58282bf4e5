import ArgumentParser
import Foundation
import OctetInference

/// `octet run PROMPT`: one reply, streamed to stdout as it is generated (or one JSON object
/// with `--json`). Ctrl-C stops the reply at once, keeps what was generated, exits 0.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Generate one reply to PROMPT and print it.")

    @OptionGroup var modelOptions: ModelOptions
    @Option(help: "The conversation database (for --save and --resume).")
    var db: String?
    @Option(help: "The prompt template to ask with.")
    var template: String?
    @Option(name: .customLong("var"), help: "A template variable, KEY=VALUE (repeatable).")
    var variables: [String] = []
    @Option(help: "The system prompt.")
    var system: String?
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
    var resume: Int?
    @Argument(help: "The prompt; - reads it from stdin.")
    var prompt: String

    func validate() throws {
        if save, resume != nil { throw ValidationError("--save and --resume exclude each other") }
        if let ctx, ctx < 1 { throw ValidationError("--ctx \(ctx): must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): must be at least 1") }
        let notYet: [(Bool, String)] = [
            (template != nil, "--template"), (!variables.isEmpty, "--var"),
            (system != nil, "--system"), (chatFormat != nil, "--chat-format"),
            (save, "--save"), (resume != nil, "--resume"),
        ]
        if let (_, option) = notYet.first(where: \.0) {
            throw ValidationError("\(option): not available yet")
        }
    }

    func run() async throws {
        // Caught from the start, so a Ctrl-C while the model loads ends the run cleanly too.
        let stop = CancellationFlag()
        let interrupt = InterruptHandler { stop.cancel() }
        defer { interrupt.restore() }
        let text = try PromptInput.read(prompt)
        let engine = try EngineLoader.load(
            path: modelOptions.modelPath, threads: threads, contextLength: ctx)
        let promptText = raw ? text : try InterimChatPrompt.render(
            user: text, chatTemplate: engine.tokenizer.chatTemplate)
        let request = GenerationRequest(
            prompt: engine.tokenizer.encodePrompt(promptText), maxTokens: sampling.maxTokens,
            sampling: sampling.parameters(seed: .random(in: .min ... .max)),
            ignoreEOS: sampling.ignoreEOS)
        let generator = Generator(model: engine.model, tokenizer: engine.tokenizer)
        let output = RunOutput(json: json)
        for await event in try generator.generate(request, cancellation: stop) {
            output.handle(event)
        }
        try output.finish()
    }
}
