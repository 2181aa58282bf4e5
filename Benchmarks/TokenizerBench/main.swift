// tokenizer-bench: how fast the default model's tokenizer is built and encodes, on one core.
// Issue 3's bar: build <= 100 ms; encode >= 5 MB/s of English prose, >= 2 MB/s of Chinese.
//
//   swift run -c release tokenizer-bench [MODEL.gguf] [--reps N]
//
// A benchmark, not a test: it prints numbers and asserts nothing (`make bench` runs it).
// Times are this thread's CPU time, so a busy machine disturbs them little.
import Foundation
import OctetGGUF
import OctetInference
import OctetTokenizer

/// This thread's CPU time: unlike wall time it does not count the time other processes
/// take from us on a busy machine (the single-core figure the issue asks for).
func threadCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = threadCPUTime()
    try body()
    return threadCPUTime() - start
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// The corpus file `name`, repeated until it is at least `bytes` long.
func corpus(_ name: String, repeatedTo bytes: Int) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("corpus/\(name)")
    let text = try String(contentsOf: url, encoding: .utf8)
    return String(repeating: text + "\n", count: bytes / text.utf8.count + 1)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var reps = 5
if let i = arguments.firstIndex(of: "--reps"), i + 1 < arguments.count {
    reps = Int(arguments[i + 1]) ?? reps
    arguments.removeSubrange(i...(i + 1))
}
let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
let dataHome = ProcessInfo.processInfo.environment["XDG_DATA_HOME"] ?? home + "/.local/share"
let modelPath = arguments.first ?? dataHome + "/octet/models/SmolLM2-135M-Instruct.Q4_1.gguf"

do {
    var tokenizer: ModelTokenizer?
    let build = median(try (0..<reps).map { _ in
        try seconds { tokenizer = try ModelTokenizer(file: GGUFFile(path: modelPath)) }
    })
    print(String(format: "build (open GGUF + tokenizer): %.1f ms (median of %d)", build * 1e3, reps))
    for (name, label) in [("english.txt", "English prose"), ("chinese.txt", "Chinese text")] {
        let text = try corpus(name, repeatedTo: 5_000_000)
        var count = 0
        let time = median((0..<reps).map { _ in seconds { count = tokenizer!.tokenizer.encode(text).count } })
        let mb = Double(text.utf8.count) / 1e6
        print(String(format: "encode %@: %.2f MB/s (%.1f MB, %d tokens, %.3f s)",
                     label, mb / time, mb, count, time))
    }
} catch {
    FileHandle.standardError.write(Data("tokenizer-bench: \(error)\n".utf8))
    exit(1)
}
