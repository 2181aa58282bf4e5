import Foundation
import OctetInference

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `octet bench` measured, and its two ways of printing it.
struct BenchResult {
    var model: String
    var threads: Int
    var load: Double
    /// tokens/s of each repetition (empty when skipped).
    var pp: [Double] = []
    var tg: [Double] = []
    var peakRSSMegabytes: Double = 0

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func rounded(_ x: Double, _ places: Int = 2) -> String { String(format: "%.\(places)f", x) }

    /// One JSON line: pp_tok_s, tg_tok_s, load_s, peak_rss_mb, threads, model, and details.
    func jsonLine(p: Int, n: Int, reps: Int) -> String {
        func number(_ x: Double?) -> String { x.map { Self.rounded($0) } ?? "null" }
        func list(_ xs: [Double]) -> String { "[" + xs.map { Self.rounded($0) }.joined(separator: ",") + "]" }
        let name = model.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "{\"pp_tok_s\":\(number(Self.median(pp))),\"tg_tok_s\":\(number(Self.median(tg)))," +
            "\"load_s\":\(Self.rounded(load, 4)),\"peak_rss_mb\":\(Self.rounded(peakRSSMegabytes, 1))," +
            "\"threads\":\(threads),\"model\":\"\(name)\",\"p\":\(p),\"n\":\(n),\"reps\":\(reps)," +
            "\"kernels\":\"\(KernelLevel.current)\",\"pp_tok_s_reps\":\(list(pp)),\"tg_tok_s_reps\":\(list(tg))}"
    }

    /// A short table for people.
    func table(p: Int, n: Int) -> String {
        var lines = [
            "model      \(model)",
            "threads    \(threads) (kernels \(KernelLevel.current))",
            "load       \(Self.rounded(load, 3)) s",
        ]
        if let pp = Self.median(pp) { lines.append("pp\(p)".padding(toLength: 11, withPad: " ", startingAt: 0) + "\(Self.rounded(pp, 1)) tok/s") }
        if let tg = Self.median(tg) { lines.append("tg\(n)".padding(toLength: 11, withPad: " ", startingAt: 0) + "\(Self.rounded(tg, 1)) tok/s") }
        lines.append("peak RSS   \(Self.rounded(peakRSSMegabytes, 1)) MB")
        return lines.joined(separator: "\n")
    }
}

/// The process's peak resident set size.
enum PeakMemory {
    static func megabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / (1024 * 1024)  // bytes on macOS
        #endif
    }
}

/// SplitMix64: the benchmark's random token ids, the same on every run.
struct BenchRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
