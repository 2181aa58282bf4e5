// MARK: - Fuzz target: a model from a GGUF file
//
// Any bytes as a model file, read the way `octet model info`, `octet tokenize` and the chat
// load it: hyperparameters, tokenizer, weights (requantized to INT8), a context and one forward
// pass. Each step works or throws a GGUFError or InferenceError; none traps.
//
// A context holds at most 64 positions to bound memory, except for a model that claims more
// than 2^24: then its own length is used, as the chat screen does, and the allocation must fail
// cleanly (ASAN_OPTIONS=allocator_may_return_null=1 lets a failed calloc return null).

import OctetGGUF
import OctetInference

private let fileName = "fuzz-model.gguf"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUFModel(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    guard let file = expectingErrors({ try GGUFFile(bytes: input.bytes, name: fileName) }) else {
        return 0
    }
    let config = expectingErrors { try ModelConfig(file: file) }
    let tokenizer = expectingErrors { try ModelTokenizer(file: file) }
    if let tokenizer {
        let ids = tokenizer.encodePrompt("<|im_start|>user\nHi 42 é😀<|im_end|>")
        fuzzCheck(ids.allSatisfy { $0 >= 0 && $0 < tokenizer.tokenizer.vocabularySize }, "ids")
        _ = tokenizer.textBOS + tokenizer.textEOS + (tokenizer.chatTemplate ?? "")
    }
    guard config != nil, let model = expectingErrors({ try LanguageModel.load(file: file, threads: 1) })
    else { return 0 }
    let length = model.config.contextLength > 1 << 24 ? nil : 64
    guard let context = expectingErrors({ try model.makeContext(contextLength: length) }) else {
        return 0
    }
    let vocabulary = model.config.vocabularySize
    let prompt = [0, 1, vocabulary - 1].filter { $0 >= 0 && $0 < vocabulary }
    if let logits = expectingErrors({ try context.evaluate(prompt) }) {
        fuzzCheck(logits.count == vocabulary, "\(logits.count) logits for \(vocabulary) tokens")
    }
    return 0
}

/// Runs `body`; a GGUFError or InferenceError gives nil (it must name the file), anything else
/// is a failure.
private func expectingErrors<T>(_ body: () throws -> T) -> T? {
    do {
        return try body()
    } catch let error as GGUFError {
        fuzzCheck(error.file == fileName, "GGUF error without the file name: \(error)")
    } catch let error as InferenceError {
        _ = error.description
    } catch {
        fuzzCheck(false, "unexpected error type: \(error)")
    }
    return nil
}
