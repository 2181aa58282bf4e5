import Foundation
import OctetChat
import Yams

/// The user's `$XDG_CONFIG_HOME/octet/config.yaml`: defaults for the chat screen and for new
/// conversations. Every key is optional; command-line flags win over it.
///
/// ```yaml
/// model: ~/models/TinyLlama-1.1B-Chat.Q8_0.gguf
/// theme: light
/// template: chain-of-thought
/// sampling:
///   temperature: 0.7
///   top_k: 40
///   seed: 42            # or "random"
/// ```
public struct AppConfig: Equatable, Sendable {
    /// A model file path (`~` expanded), or nil for the default model.
    public var model: String?
    public var theme: String?
    public var template: String?
    /// The default settings with the file's `sampling:` keys applied.
    public var sampling: SamplingSettings = .default
    /// The `sampling:` keys the file set, in its order (so flags can tell what it chose).
    public var samplingKeys: [String] = []
    /// The `sampling:` values as the file writes them, by key.
    public var samplingText: [String: String] = [:]

    public init() {}

    /// Sets the keys this file gives in `settings`: the config's sampling over, say, a
    /// template's defaults (the values were checked when the file was read).
    public func applySampling(to settings: inout SamplingSettings) {
        for key in samplingKeys {
            if let text = samplingText[key] { try? SamplingKeys.set(key, to: text, in: &settings) }
        }
    }

    // MARK: - Loading

    /// The config at `path`; an empty config when the file does not exist. Throws a
    /// `file:line: field: problem` error when it is malformed.
    public static func load(path: String) throws -> AppConfig {
        let text: String
        do {
            text = try UserTextFile.read(path)
        } catch UserTextFile.Problem.missing {
            return AppConfig()
        } catch {
            throw OctetTUIError.io(path: path, problem: "\(error)")
        }
        return try parse(text, file: path)
    }

    /// Parses the text of a config file named `file` (for messages).
    public static func parse(_ text: String, file: String) throws -> AppConfig {
        let yaml = YAMLFields(file: file)
        var config = AppConfig()
        for (key, node) in try yaml.mapping(try yaml.root(of: text), "config") {
            switch key {
            case "model": config.model = expandTilde(try yaml.string(node, key))
            case "theme": config.theme = try yaml.string(node, key)
            case "template": config.template = try yaml.string(node, key)
            case "sampling":
                for (name, value) in try yaml.mapping(node, key) {
                    let field = "sampling.\(name)"
                    let text = try yaml.string(value, field)
                    do {
                        try SamplingKeys.set(name, to: text, in: &config.sampling)
                    } catch {
                        throw yaml.error(value, field, Self.reason(error, name: name))
                    }
                    config.samplingKeys.append(name)
                    config.samplingText[name] = text
                }
            default:
                throw yaml.error(node, key, "unknown key (model, theme, template, sampling)")
            }
        }
        return config
    }

    /// The setting's problem without its repeated name ("temperature: expected ...").
    private static func reason(_ error: Error, name: String) -> String {
        let text = "\(error)"
        let prefix = name + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    static func expandTilde(_ path: String) -> String {
        (path as NSString).expandingTildeInPath
    }

    /// `$XDG_CONFIG_HOME/octet/config.yaml` (default `~/.config/octet/config.yaml`).
    public static func defaultPath(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let base =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return base + "/octet/config.yaml"
    }
}
