import ArgumentParser

/// `--model PATH`, shared by every command that loads the model.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "The GGUF model file (default: the model `make model` installs).")
    var model: String?

    /// The model file to use.
    var modelPath: String { model ?? Paths.defaultModel }
}
