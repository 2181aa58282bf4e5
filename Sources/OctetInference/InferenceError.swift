/// Why a model could not be loaded or run. Every case names what is wrong.
public enum InferenceError: Error, CustomStringConvertible, Equatable {
    /// `general.architecture` names an architecture this engine does not implement.
    case unsupportedArchitecture(file: String, architecture: String)
    /// A weight is stored in a type this engine cannot requantize.
    case unsupportedTensorType(file: String, tensor: String, type: String)
    /// A tensor the architecture needs is absent or has the wrong shape.
    case badTensor(file: String, tensor: String, problem: String)
    /// A hyperparameter is missing or out of range.
    case badHyperparameter(file: String, key: String, problem: String)
    /// The vocabulary is neither byte-level BPE (`gpt2`) nor SentencePiece (`llama`): WordPiece
    /// (`bert`), Unigram (`t5`), RWKV ...
    case unsupportedTokenizer(file: String, model: String)
    /// The vocabulary arrays are inconsistent.
    case badTokenizer(file: String, problem: String)
    /// A prompt longer than the context window.
    case contextOverflow(tokens: Int, contextLength: Int)
    /// A token id outside the model's vocabulary was fed to the model.
    case invalidToken(id: Int, vocabularySize: Int)
    /// Logits were asked for with nothing in the cache and no tokens to evaluate.
    case nothingToEvaluate
    /// Memory for `what` could not be allocated.
    case outOfMemory(what: String)
    /// A sampling parameter out of its range.
    case badSamplingParameter(name: String, value: String, expected: String)
    /// A saved KV cache (`ModelContext.restoreState`) that is not one of this model's.
    case badState(problem: String)
    /// A generation request that cannot run (an empty prompt, a negative token budget).
    case badRequest(problem: String)

    public var description: String {
        switch self {
        case .unsupportedArchitecture(let file, let arch):
            return "\(file): unsupported architecture \"\(arch)\" (supported: llama)"
        case .unsupportedTensorType(let file, let tensor, let type):
            return "\(file): tensor \(tensor) has type \(type), which cannot be loaded"
        case .badTensor(let file, let tensor, let problem):
            return "\(file): tensor \(tensor): \(problem)"
        case .badHyperparameter(let file, let key, let problem):
            return "\(file): \(key): \(problem)"
        case .unsupportedTokenizer(let file, let model):
            return "\(file): tokenizer model \"\(model)\" is not supported (supported: gpt2, byte-level BPE; llama, SentencePiece)"
        case .badTokenizer(let file, let problem):
            return "\(file): tokenizer: \(problem)"
        case .contextOverflow(let tokens, let n):
            return "the prompt has \(tokens) tokens but the context window holds \(n)"
        case .invalidToken(let id, let n):
            return "token id \(id) is outside the vocabulary (0..<\(n))"
        case .nothingToEvaluate:
            return "no tokens to evaluate and nothing in the cache"
        case .outOfMemory(let what):
            return "out of memory allocating \(what)"
        case .badSamplingParameter(let name, let value, let expected):
            return "\(name) \(value) is out of range (expected \(expected))"
        case .badState(let problem):
            return "saved KV cache: \(problem)"
        case .badRequest(let problem):
            return problem
        }
    }
}
