import XCTest
import Foundation
@testable import OctetInference

/// The reference vectors of `Resources/` (copied from ../shared/reference) and the installed
/// default model they belong to.
enum Reference {
    struct Greedy: Decodable {
        let ids: [Int]
        let margins: [Float]
    }

    struct LogitsFile: Decodable {
        let file: String
    }

    struct Case: Decodable {
        let name: String
        let prompt_ids: [Int]
        let top10_last: [[Double]]
        let argmax_per_position: [Int]
        let argmax_margin_per_position: [Float]
        let greedy: Greedy
        let logits_last_file: LogitsFile?

        var top10: [(id: Int, logit: Float)] { top10_last.map { (Int($0[0]), Float($0[1])) } }
    }

    struct Cases: Decodable {
        let model_sha256: String
        let cases: [Case]
    }

    static func resource(_ name: String) throws -> URL {
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Resources") else {
            throw XCTSkip("missing test resource \(name)")
        }
        return url
    }

    static let cases: [Case] = {
        guard let url = try? resource("forward_cases.json"), let data = try? Data(contentsOf: url),
              let decoded = try? JSONDecoder().decode(Cases.self, from: data) else { return [] }
        return decoded.cases
    }()

    /// A full logits row of the reference (49,152 little-endian floats).
    static func logitsRow(_ file: String) throws -> [Float] {
        let data = try Data(contentsOf: try resource(file))
        return data.withUnsafeBytes { raw in
            (0 ..< data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
    }

    static var defaultModelPath: String {
        let env = ProcessInfo.processInfo.environment
        let data = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"] ?? "") + "/.local/share"
        return data + "/octet/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    /// The default model, loaded once for all tests (2 threads).
    static func defaultModel() throws -> LanguageModel {
        try Loaded.shared.get()
    }

    private final class Loaded: @unchecked Sendable {
        static let shared = Loaded()
        private let lock = NSLock()
        private var model: LanguageModel?

        func get() throws -> LanguageModel {
            lock.lock()
            defer { lock.unlock() }
            if let model { return model }
            guard FileManager.default.fileExists(atPath: Reference.defaultModelPath) else {
                throw XCTSkip("default model not installed at \(Reference.defaultModelPath) (run `make model`)")
            }
            let loaded = try LanguageModel.load(path: Reference.defaultModelPath, threads: 2)
            model = loaded
            return loaded
        }
    }
}

// MARK: - Comparisons

/// Pearson correlation of two rows.
func correlation(_ a: UnsafeBufferPointer<Float>, _ b: [Float]) -> Double {
    let n = Double(b.count)
    var sa = 0.0, sb = 0.0
    for i in b.indices { sa += Double(a[i]); sb += Double(b[i]) }
    let ma = sa / n, mb = sb / n
    var cov = 0.0, va = 0.0, vb = 0.0
    for i in b.indices {
        let da = Double(a[i]) - ma, db = Double(b[i]) - mb
        cov += da * db
        va += da * da
        vb += db * db
    }
    return cov / (va * vb).squareRoot()
}

/// Index of the largest value (ties to the lowest index, as the reference).
func argmax(_ row: UnsafeBufferPointer<Float>) -> Int {
    var best = 0
    for i in 1 ..< row.count where row[i] > row[best] { best = i }
    return best
}
