import Foundation

/// Where Octet's files live (DESIGN.md "Where data lives"), from the XDG variables.
enum Paths {
    static var home: String {
        ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
    }

    /// `$XDG_DATA_HOME/octet` (default `~/.local/share/octet`).
    static var dataDirectory: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        return base + "/octet"
    }

    /// `$XDG_CONFIG_HOME/octet` (default `~/.config/octet`).
    static var configDirectory: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return base + "/octet"
    }

    /// The conversation database.
    static var database: String { dataDirectory + "/octet.sqlite" }

    /// The model `make model` installs.
    static var defaultModel: String {
        dataDirectory + "/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    /// Folders that may hold the shipped `Prompts/` and `Themes/`, best first (DESIGN.md):
    /// `$OCTET_DATA_DIR`, `<prefix>/share/octet` beside an installed binary, the source
    /// checkout the binary was built in. The user's own config directory comes before these
    /// and is handled by the loaders.
    static var shippedDataDirectories: [String] {
        var dirs: [String] = []
        if let dir = ProcessInfo.processInfo.environment["OCTET_DATA_DIR"], !dir.isEmpty {
            dirs.append(dir)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let binDir = executable.deletingLastPathComponent()
        dirs.append(binDir.deletingLastPathComponent().appendingPathComponent("share/octet").path)
        // .build/<config>/octet -> the checkout's top level.
        var dir = binDir
        for _ in 0..<4 {
            dir = dir.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                dirs.append(dir.path)
                break
            }
        }
        return dirs
    }
}
