import Foundation
import OctetGGUF
import XCTest

/// Broken model files as a user meets them: every kind gives one line `octet: <file>: ...`
/// and exit status 1 from `octet model info` and `octet tokenize`, never a crash.
final class CorruptModelTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-corrupt-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - A tiny valid model header

    /// A llama file with a 256-token byte-level vocabulary and only the tensors that
    /// `model info` reads (no weights are loaded by either command).
    static func tinyModel(edit: (inout GGUFWriter) -> Void = { _ in }) -> [UInt8] {
        var w = GGUFWriter()
        w.add("general.architecture", .string("llama"))
        for (key, value) in [("block_count", 1), ("embedding_length", 32), ("feed_forward_length", 64),
                             ("attention.head_count", 2), ("attention.head_count_kv", 1),
                             ("context_length", 64)] {
            w.add("llama." + key, .uint32(UInt32(value)))
        }
        w.add("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        w.add("llama.rope.freq_base", .float32(10_000))
        w.add("tokenizer.ggml.model", .string("gpt2"))
        w.add("tokenizer.ggml.pre", .string("default"))
        w.add("tokenizer.ggml.tokens", .array(.strings(byteAlphabet)))
        w.add("tokenizer.ggml.token_type", .array(.int32(Array(repeating: 1, count: 256))))
        w.add("tokenizer.ggml.merges", .array(.strings([])))
        w.addTensor(name: "token_embd.weight", dimensions: [32, 256], floats: Array(repeating: 0, count: 32 * 256))
        w.addTensor(name: "output_norm.weight", dimensions: [32], floats: Array(repeating: 1, count: 32))
        edit(&w)
        return w.bytes()
    }

    /// GPT-2's byte-to-unicode alphabet: one token per byte.
    static let byteAlphabet: [String] = {
        var printable = Array(33...126) + Array(161...172) + Array(174...255)
        var chars = printable.map { $0 }
        var extra = 0
        for b in 0..<256 where !printable.contains(b) {
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
        }
        let byByte = Dictionary(uniqueKeysWithValues: zip(printable, chars))
        return (0..<256).map { String(Character(Unicode.Scalar(UInt32(byByte[$0]!))!)) }
    }()

    // MARK: - Byte surgery

    static func index(of needle: String, in bytes: [UInt8], from start: Int = 0) -> Int {
        let pattern = Array(needle.utf8)
        for i in start...(bytes.count - pattern.count) where Array(bytes[i..<i + pattern.count]) == pattern {
            return i
        }
        return -1
    }

    static func patch(_ bytes: [UInt8], at offset: Int, _ value: UInt64, width: Int) -> [UInt8] {
        var out = bytes
        for i in 0..<width { out[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        return out
    }

    /// The corrupt files: name, bytes, and a piece of the one-line message each must give.
    static func corruptions() -> [(String, [UInt8], String)] {
        let good = tinyModel()
        let tableStart = index(of: "token_embd.weight", in: good) - 8
        let embdName = index(of: "token_embd.weight", in: good, from: tableStart)
        let typeOffset = embdName + "token_embd.weight".utf8.count + 4 + 16
        return [
            ("empty", [], "truncated header"),
            ("magic", Array("GGML".utf8) + good.dropFirst(4), "not a GGUF file"),
            ("v1", patch(good, at: 4, 1, width: 4), "GGUF version 1 is not supported"),
            ("v7", patch(good, at: 4, 7, width: 4), "unsupported GGUF version 7"),
            ("cut-header", Array(good.prefix(13)), "truncated header"),
            ("cut-metadata", Array(good.prefix(700)), "larger than the rest of the file allows"),
            ("cut-table", Array(good.prefix(embdName + 5)), "length of tensor name 17 at offset"),
            ("cut-data", Array(good.dropLast(64)), "is not within the file bounds"),
            ("tensor-count", patch(good, at: 8, UInt64(1) << 40, width: 8), "larger than the rest of the file allows"),
            ("key-count", patch(good, at: 16, UInt64(1) << 40, width: 8), "larger than the rest of the file allows"),
            ("string-length", patch(good, at: 24, UInt64(1) << 50, width: 8), "larger than the rest of the file allows"),
            ("duplicate-key", tinyModel { $0.add("llama.block_count", .uint32(2)) }, "duplicate metadata key 'llama.block_count'"),
            ("duplicate-tensor", tinyModel { $0.addTensor(name: "output_norm.weight", dimensions: [32], floats: Array(repeating: 1, count: 32)) },
             "duplicate tensor 'output_norm.weight'"),
            ("tensor-type", patch(good, at: typeOffset, 99, width: 4), "tensor 'token_embd.weight' has unknown type id 99"),
            ("tensor-outside", patch(good, at: typeOffset + 4, UInt64(1) << 32, width: 8), "is not within the file bounds"),
        ]
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name + ".gguf")
        try Data(bytes).write(to: url)
        return url.path
    }

    func assertOneLineError(_ args: [String], _ expected: String..., file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try OctetProcess.run(args)
        XCTAssertEqual(result.status, 1, "\(args)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertEqual(result.stderr.split(separator: "\n", omittingEmptySubsequences: false).count, 2,
                       result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("octet: "), result.stderr, file: file, line: line)
        for piece in expected {
            XCTAssertTrue(result.stderr.contains(piece), "\(args): \(result.stderr)", file: file, line: line)
        }
    }

    // MARK: - Tests

    func testTheTinyModelIsValid() throws {
        let path = try write("good", Self.tinyModel())
        let info = try OctetProcess.run(["model", "info", path])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("layers         1\n"), info.stdout)
        let ids = try OctetProcess.run(["tokenize", "--model", path, "hi"])
        XCTAssertEqual(ids.stdout, "[104,105]\n")
    }

    func testEveryCorruptionIsOneLineFromBothCommands() throws {
        let cases = Self.corruptions()
        XCTAssertGreaterThanOrEqual(cases.count, 12)
        for (name, bytes, expected) in cases {
            let path = try write(name, bytes)
            try assertOneLineError(["model", "info", path], "octet: \(path): ", expected)
            try assertOneLineError(["tokenize", "--model", path, "hello"], "octet: \(path): ", expected)
        }
    }

    func testModelInfoRejectsWhatTokenizeDoesNotNeed() throws {
        let wrongType = try write("wrong-type", Self.tinyModel { $0.set("llama.block_count", .string("one")) })
        try assertOneLineError(["model", "info", wrongType], "metadata key 'llama.block_count' should be")
        let arch = try write("arch", Self.tinyModel { $0.set("general.architecture", .string("mamba")) })
        try assertOneLineError(["model", "info", arch], "unsupported architecture \"mamba\"")
        try assertOneLineError(["model", "info", directory.path], "\(directory.path): ")
        let noTokens = try write("no-tokens", Self.tinyModel { $0.set("tokenizer.ggml.tokens", .uint32(3)) })
        try assertOneLineError(["tokenize", "--model", noTokens, "x"], "metadata key 'tokenizer.ggml.tokens' should be")
    }

    func testModelInfoOfTheDefaultModel() throws {
        let result = try OctetProcess.run(["model", "info"])
        XCTAssertEqual(result.status, 0, result.stderr)
        for line in ["architecture   llama", "layers         30\n", "embedding      576 dim",
                     "heads          9 query / 3 key-value", "context        8192 tokens",
                     "vocabulary     49152", "tensor types   Q4_1 ×210, F32 ×61, Q8_0 ×1\n",
                     "chat format    chatml-smollm2 (ChatML"] {
            XCTAssertTrue(result.stdout.contains(line), "missing \(line.debugDescription) in\n\(result.stdout)")
        }
    }
}
