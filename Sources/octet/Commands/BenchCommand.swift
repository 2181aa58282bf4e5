import ArgumentParser
import Foundation
import OctetInference

/// `octet bench`: prompt processing and generation speed, measured as
/// ../shared/bench/llamacpp_bench.py measures llama.cpp (llama-bench's method): random token
/// ids; one warm-up run of each test; pp = clear the cache, then ONE evaluation of a batch of
/// p tokens; tg = clear the cache, then n evaluations of one token each; the median over the
/// repetitions. Also the load time and the peak resident memory (with the model's full
/// context allocated, as the chat uses it).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure prompt processing and generation speed on this machine.")

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .customShort("p"), help: "Prompt tokens processed in one batch (0: skip).")
    var promptTokens: Int = 512

    @Option(name: .customShort("n"), help: "Tokens generated one at a time (0: skip).")
    var generatedTokens: Int = 128

    @Option(name: [.customShort("t"), .long], help: "Threads (default: all cores).")
    var threads: Int?

    @Option(name: .long, help: "Repetitions; the median is reported.")
    var reps: Int = 5

    @Flag(name: .long, help: "Print one JSON line.")
    var json = false

    func validate() throws {
        guard promptTokens >= 0, generatedTokens >= 0 else { throw ValidationError("-p and -n must be 0 or more") }
        guard reps >= 1 else { throw ValidationError("--reps must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let model = try LanguageModel.load(path: modelOptions.modelPath, threads: threads)
        let context = try model.makeContext(contextLength: nil)
        let needed = max(promptTokens, generatedTokens)
        guard needed <= context.contextLength else {
            throw ValidationError("-p/-n \(needed) exceeds the model's context of \(context.contextLength) tokens")
        }
        var rng = BenchRandom(seed: 1234)
        let vocabulary = model.config.vocabularySize
        var result = BenchResult(model: model.fileName, threads: model.threadCount, load: model.loadSeconds)
        if promptTokens > 0 {
            let tokens = (0 ..< promptTokens).map { _ in rng.next(below: vocabulary) }
            (result.pp, result.ppForeignCPUs) = try Self.measure(reps: reps, count: promptTokens) {
                context.truncateCache(to: 0)
                _ = try context.evaluate(tokens)
            }
        }
        if generatedTokens > 0 {
            let tokens = (0 ..< generatedTokens).map { _ in rng.next(below: vocabulary) }
            (result.tg, result.tgForeignCPUs) = try Self.measure(reps: reps, count: generatedTokens) {
                context.truncateCache(to: 0)
                for token in tokens { _ = try context.evaluate([token]) }
            }
        }
        result.peakRSSMegabytes = PeakMemory.megabytes()
        print(json ? result.jsonLine(p: promptTokens, n: generatedTokens, reps: reps) : result.table(p: promptTokens, n: generatedTokens))
    }

    /// tokens/s of each repetition of `body` (after one warm-up run), `count` tokens each, and
    /// the most CPUs other processes took during one.
    static func measure(reps: Int, count: Int, _ body: () throws -> Void) throws -> ([Double], Double) {
        try body()
        var rates: [Double] = [], foreign = 0.0
        for _ in 0 ..< reps {
            let run = try CPUClock.foreignCPUs(during: body)
            rates.append(Double(count) / run.seconds)
            foreign = max(foreign, run.foreign)
        }
        return (rates, foreign)
    }
}
