import ArgumentParser
import OctetChat
import OctetInference

/// The sampling and budget options of `octet run` (DESIGN.md), with llama.cpp's defaults
/// (the same as `SamplingSettings.default`). Each is stored as given or not, so that a prompt
/// template's sampling defaults fill in only what the command line leaves open.
struct SamplingOptions: ParsableArguments {
    @Option(name: .customShort("n"), help: "Most tokens to generate (default: 512).")
    var maxTokensGiven: Int?

    @Option(name: .customLong("temperature"),
            help: "Sampling temperature; 0 = greedy (always the most likely token) (default: 0.8).")
    var temperatureGiven: Float?

    @Option(name: .customLong("top-k"), help: "Keep the K most likely tokens; 0 = off (default: 40).")
    var topKGiven: Int?

    @Option(name: .customLong("top-p"),
            help: "Keep the most likely tokens up to probability P; 1 = off (default: 0.95).")
    var topPGiven: Float?

    @Option(name: .customLong("min-p"),
            help: "Drop tokens below P times the most likely one; 0 = off (default: 0.05).")
    var minPGiven: Float?

    @Option(name: .customLong("repeat-penalty"), help: "Penalty for the last 64 tokens; 1 = off (default: 1).")
    var repeatPenaltyGiven: Float?

    @Option(help: "Random seed: the same seed gives the same text (default: a random one).")
    var seed: UInt64?

    @Flag(name: .customLong("ignore-eos"), help: "Go on past the model's end-of-reply tokens.")
    var ignoreEOS = false

    private static let defaults = SamplingSettings.default

    var maxTokens: Int { maxTokensGiven ?? Self.defaults.maxTokens }
    var temperature: Float { temperatureGiven ?? Float(Self.defaults.temperature) }
    var topK: Int { topKGiven ?? Self.defaults.topK }
    var topP: Float { topPGiven ?? Float(Self.defaults.topP) }
    var minP: Float { minPGiven ?? Float(Self.defaults.minP) }
    var repeatPenalty: Float { repeatPenaltyGiven ?? Float(Self.defaults.repeatPenalty) }

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

    /// Only the values given on the command line, to lay over a template's defaults.
    var overrides: SamplingOverrides {
        SamplingOverrides(
            temperature: temperatureGiven.map(Double.init), topK: topKGiven,
            topP: topPGiven.map(Double.init), minP: minPGiven.map(Double.init),
            repeatPenalty: repeatPenaltyGiven.map(Double.init), seed: seed, maxTokens: maxTokensGiven)
    }
}
