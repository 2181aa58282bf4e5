import Foundation
import OctetGGUF

/// A tiny llama model with a SentencePiece vocabulary (tokenizer model `llama`, as TinyLlama
/// and Llama 2 files have), whose greedy output is a fixed cycle of tokens.
///
/// The vocabulary is `Resources/spm-vocab.json`: the 2,004-token SentencePiece BPE vocabulary
/// `scripts/make-spm-goldens.py` trains and converts as llama.cpp's converter does (`<unk>`
/// `<s>` `</s>`, 256 `<0xHH>` byte tokens, pieces with scores, `<|im_end|>`, `<tool>`); the
/// ids below are those of its golden case "heart-in-text" (`I ❤️ Swift`).
///
/// How the cycle works (as `HostileModel`'s): every weight of the layer is zero, so the hidden
/// state at the last position is the last token's embedding; the k-th token of the cycle has
/// the k-th unit vector as its embedding, and row `next` of the output matrix a 1 in column k.
enum SentencePieceModel {
    /// `▁I` `▁` `<0xE2>` `<0x9D>` `<0xA4>` `<0xEF>` `<0xB8>` `<0x8F>` `▁Swift` `.` `<0x0A>`, and
    /// again: "I ❤️ Swift.\n" (U+2764 U+FE0F spelled in byte tokens), then " I ❤️ ...".
    static let cycle = [312, 1709, 229, 160, 167, 242, 187, 146, 1299, 1727, 13]
    static let width = 32

    /// TinyLlama's chat template (Zephyr's layout), so the model's own format is recognised.
    static let chatTemplate = """
        {% for message in messages %}
        {% if message['role'] == 'user' %}
        {{ '<|user|>\n' + message['content'] + eos_token }}
        {% elif message['role'] == 'system' %}
        {{ '<|system|>\n' + message['content'] + eos_token }}
        {% elif message['role'] == 'assistant' %}
        {{ '<|assistant|>\n'  + message['content'] + eos_token }}
        {% endif %}
        {% if loop.last and add_generation_prompt %}
        {{ '<|assistant|>' }}
        {% endif %}
        {% endfor %}
        """

    struct Vocabulary: Decodable {
        let tokens: [String]
        let scores: [Float]
        let token_types: [Int]
    }

    static func vocabulary() throws -> Vocabulary {
        guard let url = Bundle.module.url(forResource: "Resources/spm-vocab.json", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(Vocabulary.self, from: Data(contentsOf: url))
    }

    /// The GGUF file's bytes: the keys llama.cpp's converter writes for a SentencePiece model.
    static func bytes() throws -> [UInt8] {
        let vocabulary = try vocabulary()
        var w = GGUFWriter()
        w.add("general.architecture", .string("llama"))
        w.add("general.name", .string("tiny-spm"))
        for (key, value) in [
            ("block_count", 1), ("embedding_length", width), ("feed_forward_length", 64),
            ("attention.head_count", 2), ("attention.head_count_kv", 1), ("context_length", 2048),
        ] {
            w.add("llama." + key, .uint32(UInt32(value)))
        }
        w.add("llama.attention.layer_norm_rms_epsilon", .float32(1e-5))
        w.add("llama.rope.freq_base", .float32(10_000))
        w.add("tokenizer.ggml.model", .string("llama"))
        w.add("tokenizer.ggml.pre", .string("default"))
        w.add("tokenizer.ggml.tokens", .array(.strings(vocabulary.tokens)))
        w.add("tokenizer.ggml.scores", .array(.float32(vocabulary.scores)))
        w.add("tokenizer.ggml.token_type", .array(.int32(vocabulary.token_types.map { Int32($0) })))
        w.add("tokenizer.ggml.bos_token_id", .uint32(1))
        w.add("tokenizer.ggml.eos_token_id", .uint32(2))
        w.add("tokenizer.ggml.unknown_token_id", .uint32(0))
        w.add("tokenizer.ggml.add_bos_token", .bool(true))
        w.add("tokenizer.ggml.add_eos_token", .bool(false))
        w.add("tokenizer.chat_template", .string(chatTemplate))
        addTensors(to: &w, vocabularySize: vocabulary.tokens.count)
        return w.bytes()
    }

    private static func addTensors(to w: inout GGUFWriter, vocabularySize: Int) {
        var embedding = [Float](repeating: 0, count: vocabularySize * width)
        var output = embedding
        for (k, token) in cycle.enumerated() {
            embedding[token * width + k] = 1
            output[cycle[(k + 1) % cycle.count] * width + k] = 1
        }
        w.addTensor(name: "token_embd.weight", dimensions: [width, vocabularySize], floats: embedding)
        w.addTensor(name: "output.weight", dimensions: [width, vocabularySize], floats: output)
        let ones = [Float](repeating: 1, count: width)
        w.addTensor(name: "output_norm.weight", dimensions: [width], floats: ones)
        let head = width / 2
        for (name, dimensions) in [
            ("attn_q", [width, width]), ("attn_k", [width, head]), ("attn_v", [width, head]),
            ("attn_output", [width, width]), ("ffn_gate", [width, 64]), ("ffn_up", [width, 64]),
            ("ffn_down", [64, width]),
        ] {
            w.addTensor(
                name: "blk.0.\(name).weight", dimensions: dimensions,
                floats: [Float](repeating: 0, count: dimensions[0] * dimensions[1]))
        }
        w.addTensor(name: "blk.0.attn_norm.weight", dimensions: [width], floats: ones)
        w.addTensor(name: "blk.0.ffn_norm.weight", dimensions: [width], floats: ones)
    }

    /// Writes the model to a new file in `directory` and returns its path.
    static func write(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("tiny-spm.gguf").path
        try Data(try bytes()).write(to: URL(fileURLWithPath: path))
        return path
    }
}
