import OctetGGUF

extension ModelConfig {
    /// The hyperparameters of `file`, read and checked as loading would, without touching
    /// the weights (for `octet model info`).
    /// - Throws: `InferenceError` for an unsupported architecture or a bad hyperparameter,
    ///   `GGUFError` for missing or mistyped keys.
    public init(file: GGUFFile) throws {
        self = try Architecture.of(file).readConfig(file)
    }
}
