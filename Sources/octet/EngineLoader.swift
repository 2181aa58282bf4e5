import OctetInference

/// What a generating command needs from the engine: the model's tokenizer (with its
/// end-of-generation tokens and chat template) and a model with a KV cache.
struct LoadedEngine {
    let tokenizer: ModelTokenizer
    let model: any LogitsSource
}

/// The one place the CLI loads a model to generate with.
enum EngineLoader {
    /// Loads the GGUF file at `path` and makes a context of `contextLength` tokens.
    /// - Parameters:
    ///   - threads: forward-pass threads; nil = all cores.
    ///   - contextLength: the KV cache's size; nil = the model's own context length.
    static func load(path: String, threads: Int?, contextLength: Int?) throws -> LoadedEngine {
        let model = try LanguageModel.load(path: path, threads: threads)
        let context = try model.makeContext(contextLength: contextLength)
        return LoadedEngine(tokenizer: model.tokenizer, model: context)
    }
}
