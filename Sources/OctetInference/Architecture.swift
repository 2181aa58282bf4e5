import OctetGGUF

// MARK: - Architecture registry

/// An architecture the engine can run, keyed by GGUF's `general.architecture` (STYLE.md H4:
/// one registry entry and one file per architecture, in `Architectures/`). Every registered
/// architecture uses the llama forward pass (pre-norm, RoPE, GQA, SwiGLU) and its tensor
/// names (`TensorName`); what differs is how the hyperparameters are read.
struct Architecture: Sendable {
    /// The `general.architecture` string.
    let name: String
    /// Reads and checks the hyperparameters of a file of this architecture.
    let readConfig: @Sendable (GGUFFile) throws -> ModelConfig

    /// Every supported architecture.
    static let all: [Architecture] = [.llama]

    /// The architecture of `file`.
    /// - Throws: `InferenceError.unsupportedArchitecture` naming the file and the string.
    static func of(_ file: GGUFFile) throws -> Architecture {
        let name = try file.metadata.string(ModelKey.architecture)
        guard let architecture = all.first(where: { $0.name == name }) else {
            throw InferenceError.unsupportedArchitecture(file: file.name, architecture: name)
        }
        return architecture
    }
}
