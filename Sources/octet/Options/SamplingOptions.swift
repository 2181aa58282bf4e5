import ArgumentParser
import OctetInference

/// The sampling and budget options of `octet run` (DESIGN.md), with llama.cpp's defaults
/// (the same as `SamplingSettings.default`).
struct SamplingOptions: ParsableArguments {
    @Option(name: .customShort("n"), help: "Most tokens to generate.")
    var maxTokens: Int = 512

    @Option(help: "Sampling temperature; 0 = greedy (always the most likely token).")
    var temperature: Float = 0.8

    @Option(name: .customLong("top-k"), help: "Keep the K most likely tokens; 0 = off.")
    var topK: Int = 40

    @Option(name: .customLong("top-p"), help: "Keep the most likely tokens up to probability P; 1 = off.")
    var topP: Float = 0.95

    @Option(name: .customLong("min-p"), help: "Drop tokens below P times the most likely one; 0 = off.")
    var minP: Float = 0.05

    @Option(name: .customLong("repeat-penalty"), help: "Penalty for the last 64 tokens; 1 = off.")
    var repeatPenalty: Float = 1.0

    @Option(help: "Random seed: the same seed gives the same text (default: a random one).")
    var seed: UInt64?

    @Flag(name: .customLong("ignore-eos"), help: "Go on past the model's end-of-reply tokens.")
    var ignoreEOS = false

    func validate() throws {
        guard maxTokens >= 0 else { throw ValidationError("-n \(maxTokens): must be 0 or more") }
        try parameters(seed: 0).validate()
    }

    /// The sampler's parameters, with `seed` standing in when `--seed` is not given.
    func parameters(seed fallback: UInt64) -> SamplingParameters {
        SamplingParameters(
            temperature: temperature, topK: topK, topP: topP, minP: minP,
            repeatPenalty: repeatPenalty, repeatLastN: SamplingParameters().repeatLastN,
            seed: seed ?? fallback)
    }
}
