// MARK: - GGUF seeds
//
// Tiny GGUF files (each well under 1 MB) for the `gguf` and `gguf-model` targets: every metadata
// value type, a tensor of every ggml type the reader dequantizes, odd alignments, small llama
// models that load and run (F32, the 32-blocks, the K-quants), and a skeleton of the real
// SmolLM2 file: its metadata with the vocabulary cut to 512 tokens and the layers shrunk. From
// the real file only the header region is ever read (the first 32 KB are one seed as they are);
// never its weights. File names have no `.gguf` ending (.gitignore drops those).

import Foundation
import OctetGGUF

struct GGUFSeeds {
    let seeds: Seeds

    func writeAll() throws {
        try seeds.write("gguf", "value-types", Self.valueTypes())
        for type in GGMLType.allCases where Dequantize.isSupported(type) || type == .iq2_xxs {
            var writer = GGUFWriter()
            writer.add("general.name", .string("one \(type) tensor"))
            let rowLength = type.blockSize == 256 ? 256 : 64
            writer.addTensor(name: "t", dimensions: [rowLength, 2], type: type,
                             data: Self.data(type, count: rowLength * 2, seed: type.rawValue))
            try seeds.write("gguf", "tensor-\(type)", writer.bytes())
        }
        var aligned = GGUFWriter(version: 2)
        aligned.add("general.alignment", .uint32(1))
        aligned.addTensor(name: "a", dimensions: [32], type: .q4_0, data: Self.data(.q4_0, count: 32, seed: 1))
        aligned.addTensor(name: "b", dimensions: [3], floats: [1, -2, 3.5])
        try seeds.write("gguf", "alignment-1-v2", aligned.bytes())
        let models: [(String, [UInt8])] = [
            ("tiny-f32", Self.llama(quantized: false)),
            ("tiny-32-blocks", Self.llama(quantized: true)),
            ("tiny-k-quants", Self.kQuantLlama()),
            ("tiny-f32-alignment-4", Self.llama(quantized: false, alignment: 4)),
        ]
        for (name, bytes) in models { try seeds.write("gguf-model", name, bytes) }
        try seeds.write("gguf", "tiny-32-blocks", models[1].1)
        try realModelSeeds()
    }

    // MARK: - Metadata

    /// One key of every scalar type, every array element type, nested and empty arrays.
    static func valueTypes() -> [UInt8] {
        var w = GGUFWriter()
        let values: [(String, GGUFValue)] = [
            ("u8", .uint8(200)), ("i8", .int8(-100)), ("u16", .uint16(60_000)), ("i16", .int16(-30_000)),
            ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)),
            ("u64", .uint64(UInt64.max)), ("i64", .int64(Int64.min)), ("f32", .float32(.nan)),
            ("f64", .float64(-.infinity)), ("bool", .bool(true)), ("string", .string("héllo 😀")),
            ("u8s", .array(.uint8([1, 2]))), ("i8s", .array(.int8([-1]))),
            ("u16s", .array(.uint16([7]))), ("i16s", .array(.int16([-7]))),
            ("u32s", .array(.uint32([9]))), ("i32s", .array(.int32([-9, 3]))),
            ("u64s", .array(.uint64([UInt64.max]))), ("i64s", .array(.int64([5]))),
            ("f32s", .array(.float32([0.5, 1e-5]))), ("f64s", .array(.float64([2.5]))),
            ("bools", .array(.bools([true, false]))), ("strings", .array(.strings(["a", "", "ç"]))),
            ("nested", .array(.arrays([.uint8([1]), .strings(["x"]), .arrays([])]))),
            ("empty", .array(.float32([]))),
        ]
        for (key, value) in values { w.add("fuzz." + key, value) }
        w.add("general.alignment", .uint32(64))
        w.addTensor(name: "vector", dimensions: [4], floats: [0, 1, 2, 3])
        w.addTensor(name: "matrix", dimensions: [32, 1, 1, 2], type: .q8_0, data: data(.q8_0, count: 64, seed: 5))
        return w.bytes()
    }

    // MARK: - Tensor data

    /// `count` values of `type`: small random floats for the float types, random blocks with
    /// moderate f16 scales for the others (deterministic: `seed`).
    static func data(_ type: GGMLType, count: Int, seed: UInt32) -> [UInt8] {
        var random = SplitMix64(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        switch type {
        case .f32:
            return (0 ..< count).flatMap { _ in withUnsafeBytes(of: random.float()) { Array($0) } }
        case .f16, .bf16:
            return (0 ..< count).flatMap { _ -> [UInt8] in
                let bits = type == .f16 ? random.half() : UInt16(random.float().bitPattern >> 16)
                return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
            }
        default:
            var bytes = (0 ..< count / type.blockSize * type.blockBytes).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            // The f16 scale at the start of each 32-block: finite and small.
            if type.blockSize == 32 {
                for block in stride(from: 0, to: bytes.count, by: type.blockBytes) {
                    let half = random.half()
                    bytes[block] = UInt8(half & 0xFF)
                    bytes[block + 1] = UInt8(half >> 8)
                }
            }
            return bytes
        }
    }

    // MARK: - Models

    /// The byte-level alphabet with three control tokens first and three merges after.
    static let vocabulary: (tokens: [String], types: [Int], merges: [String]) = {
        var tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
        var next: UInt32 = 256
        for byte in 0 ..< 256 {
            let printable = (0x21 ... 0x7E).contains(byte) || (0xA1 ... 0xAC).contains(byte)
                || (0xAE ... 0xFF).contains(byte)
            tokens.append(String(Unicode.Scalar(printable ? UInt32(byte) : next)!))
            if !printable { next += 1 }
        }
        tokens += ["Ġt", "he", "Ġthe"]
        return (tokens, [3, 3, 3] + Array(repeating: 1, count: 259), ["Ġ t", "h e", "Ġt he"])
    }()

    /// A llama model of `layers` layers with the tiny vocabulary; `type(name)` chooses each
    /// matrix's type.
    static func llamaWriter(
        layers: Int, embedding: Int, feedForward: Int, heads: Int, headsKV: Int,
        alignment: Int = 32, type: (String) -> GGMLType
    ) -> GGUFWriter {
        var w = GGUFWriter()
        w.add("general.architecture", .string("llama"))
        if alignment != 32 { w.add("general.alignment", .uint32(UInt32(alignment))) }
        let hyper = [("block_count", layers), ("embedding_length", embedding),
                     ("feed_forward_length", feedForward), ("attention.head_count", heads),
                     ("attention.head_count_kv", headsKV), ("context_length", 64)]
        for (key, value) in hyper { w.add("llama." + key, .uint32(UInt32(value))) }
        w.add("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        w.add("tokenizer.ggml.model", .string("gpt2"))
        w.add("tokenizer.ggml.pre", .string("smollm"))
        w.add("tokenizer.ggml.tokens", .array(.strings(vocabulary.tokens)))
        w.add("tokenizer.ggml.token_type", .array(.int32(vocabulary.types.map(Int32.init))))
        w.add("tokenizer.ggml.merges", .array(.strings(vocabulary.merges)))
        w.add("tokenizer.ggml.bos_token_id", .uint32(1))
        w.add("tokenizer.ggml.eos_token_id", .uint32(2))
        let n = vocabulary.tokens.count, headDim = embedding / heads, kv = headsKV * headDim
        var seed: UInt32 = 100
        func matrix(_ name: String, _ cols: Int, _ rows: Int) {
            let t = type(name)
            seed += 1
            w.addTensor(name: name, dimensions: [cols, rows], type: t, data: data(t, count: cols * rows, seed: seed))
        }
        func vector(_ name: String, _ count: Int) {
            w.addTensor(name: name, dimensions: [count], floats: Array(repeating: 1, count: count))
        }
        matrix("token_embd.weight", embedding, n)
        for l in 0 ..< layers {
            vector("blk.\(l).attn_norm.weight", embedding)
            matrix("blk.\(l).attn_q.weight", embedding, embedding)
            matrix("blk.\(l).attn_k.weight", embedding, kv)
            matrix("blk.\(l).attn_v.weight", embedding, kv)
            matrix("blk.\(l).attn_output.weight", embedding, embedding)
            vector("blk.\(l).ffn_norm.weight", embedding)
            matrix("blk.\(l).ffn_gate.weight", embedding, feedForward)
            matrix("blk.\(l).ffn_up.weight", embedding, feedForward)
            matrix("blk.\(l).ffn_down.weight", feedForward, embedding)
        }
        vector("output_norm.weight", embedding)
        return w
    }

    /// One layer of width 32 all in F32 (tied embeddings), or two of width 64 with each matrix in another 32-block
    /// or float type with a separate classifier, RoPE factors and linear RoPE scaling.
    static func llama(quantized: Bool, alignment: Int = 32) -> [UInt8] {
        let types: [GGMLType] = [.q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .f16, .bf16, .f32]
        var index = 0
        var w = llamaWriter(
            layers: quantized ? 2 : 1, embedding: quantized ? 64 : 32, feedForward: quantized ? 96 : 64,
            heads: 2, headsKV: 1, alignment: alignment
        ) { _ in
            index += 1
            return quantized ? types[index % types.count] : .f32
        }
        guard quantized else { return w.bytes() }
        w.add("llama.attention.key_length", .uint32(32))
        w.add("llama.rope.dimension_count", .uint32(32))
        w.add("llama.rope.scaling.type", .string("linear"))
        w.add("llama.rope.scaling.factor", .float32(2))
        w.add("tokenizer.ggml.add_bos_token", .bool(true))
        w.add("tokenizer.ggml.eot_token_id", .uint32(2))
        w.add("tokenizer.chat_template", .string("{% for m in messages %}<|im_start|>{{ m.role }}<|im_end|>{% endfor %}"))
        w.addTensor(name: "output.weight", dimensions: [64, vocabulary.tokens.count], type: .q4_1,
                    data: data(.q4_1, count: 64 * vocabulary.tokens.count, seed: 9))
        w.addTensor(name: "rope_freqs.weight", dimensions: [16], floats: Array(repeating: 1.5, count: 16))
        return w.bytes()
    }

    /// One layer of width 256 in the K-quant types.
    static func kQuantLlama() -> [UInt8] {
        let types: [GGMLType] = [.q6_K, .q4_K, .q5_K, .q3_K, .q2_K, .q8_K]
        var index = 0
        return llamaWriter(layers: 1, embedding: 256, feedForward: 256, heads: 4, headsKV: 2) { _ in
            index += 1
            return types[index % types.count]
        }.bytes()
    }
}

// MARK: - Deterministic randomness

/// splitmix64: the seeds come out the same on every run.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float in [-0.125, 0.125).
    mutating func float() -> Float { (Float(next() >> 40) / Float(1 << 24) - 0.5) / 4 }

    /// The bits of an f16 of magnitude 2^-10 ... 2^-6, either sign.
    mutating func half() -> UInt16 {
        let value = next()
        return UInt16(value & 0x8000) | UInt16(5 + value % 5) << 10 | UInt16((value >> 8) & 0x3FF)
    }
}

// MARK: - From the real model's header

extension GGUFSeeds {
    /// The installed SmolLM2 file, if there is one (`make fuzz` installs it; without it these
    /// two seeds are skipped).
    static var realModelPath: String {
        let environment = ProcessInfo.processInfo.environment
        let dataHome = environment["XDG_DATA_HOME"] ?? NSHomeDirectory() + "/.local/share"
        return dataHome + "/octet/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    /// The first 32 KB of the real file as they are (header and the start of the metadata:
    /// the reader meets the cut inside the token list), and the skeleton.
    func realModelSeeds() throws {
        let path = Self.realModelPath
        guard let handle = FileHandle(forReadingAtPath: path) else {
            print("no model at \(path): the SmolLM2 seeds are skipped")
            return
        }
        let header = [UInt8](handle.readData(ofLength: 32 * 1024))
        try handle.close()
        try seeds.write("gguf", "smollm2-first-32k", header)
        let skeleton = try Self.skeleton(of: GGUFFile(path: path))
        try seeds.write("gguf", "smollm2-skeleton", skeleton)
        try seeds.write("gguf-model", "smollm2-skeleton", skeleton)
    }

    /// The real metadata with its vocabulary cut to the first 512 tokens (and the merges among
    /// them) and one layer of width 64 in the real file's types (Q8_0 embedding, Q4_1
    /// matrices, F32 norms). Only metadata is read from `file`.
    static func skeleton(of file: GGUFFile, vocabularySize n: Int = 512) throws -> [UInt8] {
        let meta = file.metadata
        let tokens = Array(try meta.strings("tokenizer.ggml.tokens").prefix(n))
        let known = Set(tokens)
        let merges = try meta.strings("tokenizer.ggml.merges").filter { merge in
            let parts = merge.split(separator: " ", maxSplits: 1).map(String.init)
            return parts.count == 2 && known.contains(parts[0]) && known.contains(parts[1])
                && known.contains(parts[0] + parts[1])
        }
        let shrunk: [String: GGUFValue] = [
            "llama.block_count": .uint32(1), "llama.embedding_length": .uint32(64),
            "llama.feed_forward_length": .uint32(128), "llama.attention.head_count": .uint32(2),
            "llama.attention.head_count_kv": .uint32(1), "llama.rope.dimension_count": .uint32(32),
            "llama.vocab_size": .uint32(UInt32(n)),
            "tokenizer.ggml.tokens": .array(.strings(tokens)),
            "tokenizer.ggml.token_type": .array(.int32(Array(try meta.ints("tokenizer.ggml.token_type")
                .prefix(n).map(Int32.init)))),
            "tokenizer.ggml.merges": .array(.strings(merges)),
        ]
        var w = GGUFWriter()
        for key in meta.keys { w.add(key, shrunk[key] ?? meta[key]!) }
        var seed: UInt32 = 500
        func add(_ name: String, _ dims: [Int], _ type: GGMLType) {
            seed += 1
            w.addTensor(name: name, dimensions: dims, type: type,
                        data: data(type, count: dims.reduce(1, *), seed: seed))
        }
        add("token_embd.weight", [64, n], .q8_0)
        add("blk.0.attn_norm.weight", [64], .f32)
        add("blk.0.attn_q.weight", [64, 64], .q4_1)
        add("blk.0.attn_k.weight", [64, 32], .q4_1)
        add("blk.0.attn_v.weight", [64, 32], .q4_1)
        add("blk.0.attn_output.weight", [64, 64], .q4_1)
        add("blk.0.ffn_norm.weight", [64], .f32)
        add("blk.0.ffn_gate.weight", [64, 128], .q4_1)
        add("blk.0.ffn_up.weight", [64, 128], .q4_1)
        add("blk.0.ffn_down.weight", [128, 64], .q4_1)
        add("output_norm.weight", [64], .f32)
        return w.bytes()
    }
}
