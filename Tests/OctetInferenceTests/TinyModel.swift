import Foundation
import OctetGGUF
@testable import OctetInference

/// A tiny random llama model written with GGUFWriter, and a float64 forward pass over the
/// same (dequantized) weights to check the engine against.
struct TinyModel {
    var layers = 2, dim = 64, ff = 96, heads = 4, kvHeads = 2
    var vocab = 64, context = 1024
    var ropeBase = 10_000.0
    /// The type every weight matrix is stored in.
    var matrixType: GGMLType = .f32
    /// Whether to write a separate `output.weight`.
    var separateOutput = false
    var seed: UInt64 = 1

    var headDim: Int { dim / heads }

    /// name -> (rows, cols) of every matrix.
    var matrixShapes: [(String, Int, Int)] {
        var shapes = [(TensorName.tokenEmbedding, vocab, dim)]
        if separateOutput { shapes.append((TensorName.output, vocab, dim)) }
        for l in 0 ..< layers {
            shapes += [
                (TensorName.attentionQuery(l), dim, dim), (TensorName.attentionKey(l), kvHeads * headDim, dim),
                (TensorName.attentionValue(l), kvHeads * headDim, dim), (TensorName.attentionOutput(l), dim, dim),
                (TensorName.feedForwardGate(l), ff, dim), (TensorName.feedForwardUp(l), ff, dim),
                (TensorName.feedForwardDown(l), dim, ff),
            ]
        }
        return shapes
    }

    /// The file and the float values of every tensor (as the engine should see them).
    func build() throws -> (writer: GGUFWriter, weights: [String: [Float]]) {
        var rng = TestRNG(state: seed)
        var w = GGUFWriter()
        let arch = "llama"
        w.add("general.architecture", .string(arch))
        w.add("general.name", .string("tiny"))
        w.add("llama.block_count", .uint32(UInt32(layers)))
        w.add("llama.embedding_length", .uint32(UInt32(dim)))
        w.add("llama.feed_forward_length", .uint32(UInt32(ff)))
        w.add("llama.context_length", .uint32(UInt32(context)))
        w.add("llama.attention.head_count", .uint32(UInt32(heads)))
        w.add("llama.attention.head_count_kv", .uint32(UInt32(kvHeads)))
        w.add("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        w.add("llama.rope.freq_base", .float32(Float(ropeBase)))
        let tokens = ["<|endoftext|>", "<|im_end|>"] + (0 ..< vocab - 2).map { String(UnicodeScalar(UInt8(33 + $0))) }
        w.add("tokenizer.ggml.model", .string("gpt2"))
        w.add("tokenizer.ggml.pre", .string("gpt2"))
        w.add("tokenizer.ggml.tokens", .array(.strings(tokens)))
        w.add("tokenizer.ggml.token_type", .array(.int32([3, 3] + Array(repeating: 1, count: vocab - 2))))
        w.add("tokenizer.ggml.merges", .array(.strings([])))
        w.add("tokenizer.ggml.eos_token_id", .uint32(1))
        var weights: [String: [Float]] = [:]
        for (name, rows, cols) in matrixShapes {
            let data = TestBlocks.random(matrixType, count: rows * cols, scale: 1 / Float(cols).squareRoot(), &rng)
            w.addTensor(name: name, dimensions: [cols, rows], type: matrixType, data: data)
            weights[name] = try TestBlocks.dequantize(matrixType, data, count: rows * cols)
        }
        var norms = [TensorName.outputNorm]
        for l in 0 ..< layers { norms += [TensorName.attentionNorm(l), TensorName.feedForwardNorm(l)] }
        for name in norms {
            let v = (0 ..< dim).map { _ in 1 + rng.float(0.2) }
            w.addTensor(name: name, dimensions: [dim], floats: v)
            weights[name] = v
        }
        return (w, weights)
    }

    func load(threads: Int = 2) throws -> (model: LanguageModel, weights: [String: [Float]]) {
        let (writer, weights) = try build()
        let file = try GGUFFile(bytes: writer.bytes(), name: "tiny.gguf")
        return (try LanguageModel.load(file: file, threads: threads), weights)
    }

    // MARK: - Float64 reference forward pass

    /// Logits after every token of `tokens` (one row per position).
    func referenceLogits(_ weights: [String: [Float]], _ tokens: [Int]) -> [[Float]] {
        let hd = headDim, kvDim = kvHeads * hd, group = heads / kvHeads
        var keys = Array(repeating: [[Double]](), count: layers), values = keys
        var rows: [[Float]] = []
        for (pos, token) in tokens.enumerated() {
            var x = (0 ..< dim).map { Double(weights[TensorName.tokenEmbedding]![token * dim + $0]) }
            for l in 0 ..< layers {
                let h = rmsnorm(x, weights[TensorName.attentionNorm(l)]!)
                var q = matvec(weights[TensorName.attentionQuery(l)]!, h, rows: dim)
                var k = matvec(weights[TensorName.attentionKey(l)]!, h, rows: kvDim)
                let v = matvec(weights[TensorName.attentionValue(l)]!, h, rows: kvDim)
                rope(&q, pos)
                rope(&k, pos)
                keys[l].append(k)
                values[l].append(v)
                var att = [Double](repeating: 0, count: dim)
                for head in 0 ..< heads {
                    let g = head / group
                    var s = (0 ... pos).map { t in
                        (0 ..< hd).reduce(0.0) { $0 + q[head * hd + $1] * keys[l][t][g * hd + $1] } / Double(hd).squareRoot()
                    }
                    let m = s.max()!
                    s = s.map { exp($0 - m) }
                    let sum = s.reduce(0, +)
                    for d in 0 ..< hd {
                        att[head * hd + d] = (0 ... pos).reduce(0.0) { $0 + s[$1] / sum * values[l][$1][g * hd + d] }
                    }
                }
                let o = matvec(weights[TensorName.attentionOutput(l)]!, att, rows: dim)
                for i in 0 ..< dim { x[i] += o[i] }
                let h2 = rmsnorm(x, weights[TensorName.feedForwardNorm(l)]!)
                let gate = matvec(weights[TensorName.feedForwardGate(l)]!, h2, rows: ff)
                let up = matvec(weights[TensorName.feedForwardUp(l)]!, h2, rows: ff)
                let act = (0 ..< ff).map { gate[$0] / (1 + exp(-gate[$0])) * up[$0] }
                let down = matvec(weights[TensorName.feedForwardDown(l)]!, act, rows: dim)
                for i in 0 ..< dim { x[i] += down[i] }
            }
            let out = rmsnorm(x, weights[TensorName.outputNorm]!)
            let classifier = weights[separateOutput ? TensorName.output : TensorName.tokenEmbedding]!
            rows.append(matvec(classifier, out, rows: vocab).map { Float($0) })
        }
        return rows
    }

    func rmsnorm(_ x: [Double], _ w: [Float]) -> [Double] {
        let ms = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
        return x.indices.map { x[$0] / (ms + 1e-5).squareRoot() * Double(w[$0]) }
    }

    func matvec(_ w: [Float], _ x: [Double], rows: Int) -> [Double] {
        (0 ..< rows).map { r in x.indices.reduce(0.0) { $0 + Double(w[r * x.count + $1]) * x[$1] } }
    }

    /// Adjacent pairs (x[2i], x[2i+1]) of each head turned by pos * base^(-2i / headDim).
    func rope(_ v: inout [Double], _ pos: Int) {
        for h in 0 ..< v.count / headDim {
            for i in 0 ..< headDim / 2 {
                let angle = Double(pos) * pow(ropeBase, -2 * Double(i) / Double(headDim))
                let a = v[h * headDim + 2 * i], b = v[h * headDim + 2 * i + 1]
                v[h * headDim + 2 * i] = a * cos(angle) - b * sin(angle)
                v[h * headDim + 2 * i + 1] = a * sin(angle) + b * cos(angle)
            }
        }
    }
}

// MARK: - Random tensor data

struct TestRNG {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-scale, scale).
    mutating func float(_ scale: Float = 1) -> Float {
        (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale
    }
}

/// Random data of any ggml type: plain types from random floats, block types from random
/// bytes with their f16/f32 scale fields set to sizes that give values around `scale`.
enum TestBlocks {
    static func random(_ type: GGMLType, count: Int, scale: Float, _ rng: inout TestRNG) -> [UInt8] {
        switch type {
        case .f32: return (0 ..< count).map { _ in rng.float(scale) }.withUnsafeBytes { [UInt8]($0) }
        case .f16: return (0 ..< count).map { _ in Float16(rng.float(scale)) }.withUnsafeBytes { [UInt8]($0) }
        case .bf16:
            return (0 ..< count).map { _ in UInt16(rng.float(scale).bitPattern >> 16) }.withUnsafeBytes { [UInt8]($0) }
        default: break
        }
        let blocks = count / type.blockSize
        var bytes = (0 ..< blocks * type.blockBytes).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        // (offset, size of the quantized range) of each scale field, per block.
        let fields: [(Int, Float)]
        switch type {
        case .q4_0, .q5_0: fields = [(0, 8)]
        case .q8_0: fields = [(0, 127)]
        case .q4_1: fields = [(0, 15), (2, -0.5)]
        case .q5_1: fields = [(0, 31), (2, -0.5)]
        case .q4_K: fields = [(0, 15 * 63), (2, 63 * 2)]
        case .q5_K: fields = [(0, 31 * 63), (2, 63 * 2)]
        case .q6_K: fields = [(208, 32 * 127)]
        case .q2_K: fields = [(80, 3 * 15), (82, 15 * 2)]
        case .q3_K: fields = [(108, 4 * 32)]
        default: fields = []
        }
        for b in 0 ..< blocks {
            for (offset, range) in fields {
                let d = Float16(scale / range * (0.5 + abs(rng.float(0.5))))
                let bits = d.bitPattern
                bytes[b * type.blockBytes + offset] = UInt8(bits & 0xFF)
                bytes[b * type.blockBytes + offset + 1] = UInt8(bits >> 8)
            }
        }
        return bytes
    }

    /// The values of `data` (zeros for types without a dequantizer, for files that must fail).
    static func dequantize(_ type: GGMLType, _ data: [UInt8], count: Int) throws -> [Float] {
        var out = [Float](repeating: 0, count: count)
        guard Dequantize.isSupported(type) else { return out }
        try data.withUnsafeBytes { src in
            try out.withUnsafeMutableBufferPointer { dst in
                try Dequantize.toFloat(type, from: src.baseAddress!, count: count, into: dst.baseAddress!)
            }
        }
        return out
    }
}
