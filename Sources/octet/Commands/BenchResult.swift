import Foundation
import OctetInference

/// What `octet bench` measured, and its two ways of printing it.
struct BenchResult {
    var model: String
    var threads: Int
    var load: Double
    /// tokens/s of each repetition (empty when skipped).
    var pp: [Double] = []
    var tg: [Double] = []
    /// The most CPUs other processes used during one repetition (> 0.2: contaminated).
    var ppForeignCPUs = 0.0, tgForeignCPUs = 0.0
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
            "\"kernels\":\"\(KernelLevel.current)\",\"pp_tok_s_reps\":\(list(pp)),\"tg_tok_s_reps\":\(list(tg))," +
            "\"pp_foreign_cpus\":\(Self.rounded(ppForeignCPUs)),\"tg_foreign_cpus\":\(Self.rounded(tgForeignCPUs))}"
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
        let foreign = max(ppForeignCPUs, tgForeignCPUs)
        lines.append("others     \(Self.rounded(foreign)) CPUs used by other processes" + (foreign > 0.2 ? " (figures disturbed)" : ""))
        return lines.joined(separator: "\n")
    }
}
