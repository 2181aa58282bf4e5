import Foundation
import OctetGGUF

/// A tiny llama model (one layer, 32-wide, one token per byte) whose greedy output is a fixed
/// cycle of bytes: the terminal escapes, control characters, C1 controls, a bidi override and
/// an invalid UTF-8 byte a real model can also emit through its byte tokens.
///
/// How: every weight of the layer is zero, so the hidden state at the last position is the
/// embedding of the last token. Each byte of the cycle has a one-hot embedding of its own,
/// and the output matrix maps that one-hot to the byte that follows it in the cycle; so
/// greedy decoding walks the cycle for ever, from any prompt that ends in a byte of it.
enum HostileModel {
    /// The bytes emitted, in order, again and again. Every byte occurs once (the next byte
    /// depends only on the last one). OSC 0 (set the window title) ending in BEL, CR and BS,
    /// the C1 CSI (U+009B, UTF-8 C2 9B) with "2J" (clear the screen), U+202E (E2 80 AE), a
    /// lone 0xFF (not UTF-8), and a new line.
    static let cycle: [UInt8] = [
        0x1B, 0x5D, 0x30, 0x3B, 0x50, 0x57, 0x4E, 0x07,  // ESC ] 0 ; P W N BEL
        0x0D, 0x08,  // CR BS
        0xC2, 0x9B, 0x32, 0x4A,  // U+009B 2 J
        0xE2, 0x80, 0xAE,  // U+202E RIGHT-TO-LEFT OVERRIDE
        0xFF, 0x41, 0x0A,  // 0xFF A LF
    ]

    static let width = 32
    /// `general.name`, which `octet model info` prints: an OSC 0 with BEL in it.
    static let name = "hostile\u{1B}]0;PWN\u{07}"

    /// The GGUF file's bytes. With `--raw`, a prompt ending in "\n" (or any byte of the
    /// cycle) starts the cycle after that byte.
    static func bytes() -> [UInt8] {
        var w = GGUFWriter()
        w.add("general.architecture", .string("llama"))
        w.add("general.name", .string(name))
        for (key, value) in [
            ("block_count", 1), ("embedding_length", width), ("feed_forward_length", 64),
            ("attention.head_count", 2), ("attention.head_count_kv", 1), ("context_length", 4096),
        ] {
            w.add("llama." + key, .uint32(UInt32(value)))
        }
        w.add("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        w.add("llama.rope.freq_base", .float32(10_000))
        w.add("tokenizer.ggml.model", .string("gpt2"))
        w.add("tokenizer.ggml.pre", .string("default"))
        w.add("tokenizer.ggml.tokens", .array(.strings(CorruptModelTests.byteAlphabet)))
        w.add("tokenizer.ggml.token_type", .array(.int32(Array(repeating: 1, count: 256))))
        w.add("tokenizer.ggml.merges", .array(.strings([])))
        let (embedding, output) = matrices()
        w.addTensor(name: "token_embd.weight", dimensions: [width, 256], floats: embedding)
        w.addTensor(name: "output.weight", dimensions: [width, 256], floats: output)
        w.addTensor(name: "output_norm.weight", dimensions: [width], floats: ones(width))
        let zeros = { (count: Int) in [Float](repeating: 0, count: count) }
        let head = width / 2
        for (name, dimensions) in [
            ("attn_q", [width, width]), ("attn_k", [width, head]), ("attn_v", [width, head]),
            ("attn_output", [width, width]), ("ffn_gate", [width, 64]), ("ffn_up", [width, 64]),
            ("ffn_down", [64, width]),
        ] {
            w.addTensor(
                name: "blk.0.\(name).weight", dimensions: dimensions,
                floats: zeros(dimensions[0] * dimensions[1]))
        }
        w.addTensor(name: "blk.0.attn_norm.weight", dimensions: [width], floats: ones(width))
        w.addTensor(name: "blk.0.ffn_norm.weight", dimensions: [width], floats: ones(width))
        return w.bytes()
    }

    /// Token i is byte i. The embedding of the k-th byte of the cycle is the k-th unit
    /// vector; row `next` of the output matrix has a 1 in column k, so that byte wins.
    private static func matrices() -> (embedding: [Float], output: [Float]) {
        var embedding = [Float](repeating: 0, count: 256 * width)
        var output = [Float](repeating: 0, count: 256 * width)
        for (k, byte) in cycle.enumerated() {
            let next = cycle[(k + 1) % cycle.count]
            embedding[Int(byte) * width + k] = 1
            output[Int(next) * width + k] = 1
        }
        return (embedding, output)
    }

    private static func ones(_ count: Int) -> [Float] { [Float](repeating: 1, count: count) }

    /// Writes the model to a new file in `directory` and returns its path.
    static func write(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("hostile.gguf").path
        try Data(bytes()).write(to: URL(fileURLWithPath: path))
        return path
    }
}
