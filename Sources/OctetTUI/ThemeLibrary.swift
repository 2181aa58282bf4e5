import Foundation
import OctetChat

/// Finds theme files by name in a list of folders, first folder first (DESIGN.md: the
/// user's `$XDG_CONFIG_HOME/octet/themes`, then the shipped `Themes/` folders).
///
/// ```swift
/// let themes = ThemeLibrary(directories: [userThemes, shippedThemes])
/// let (theme, problem) = themes.themeOrFallback(named: "light")
/// ```
public struct ThemeLibrary: Sendable {
    /// Folders that hold `NAME.yaml` files, searched in order.
    public var directories: [String]

    public init(directories: [String]) {
        self.directories = directories
    }

    /// The theme folder of each data folder: `<dir>/Themes` (a checkout, `share/octet`).
    public static func shippedDirectories(in dataDirectories: [String]) -> [String] {
        dataDirectories.map { ($0 as NSString).appendingPathComponent("Themes") }
    }

    // MARK: - Listing

    /// The names of all themes found, sorted, each once.
    public func names() -> [String] {
        var names = Set<String>()
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                names.insert((file as NSString).deletingPathExtension)
            }
        }
        return names.sorted()
    }

    /// The file `name` comes from, or nil.
    public func path(of name: String) -> String? {
        for directory in directories {
            for ext in ["yaml", "yml"] {
                let path = (directory as NSString).appendingPathComponent("\(name).\(ext)")
                if FileManager.default.fileExists(atPath: path) { return path }
            }
        }
        return nil
    }

    // MARK: - Loading

    /// The theme called `name`; throws if there is none or its file is broken.
    public func theme(named name: String) throws -> Theme {
        guard !name.contains("/"), let path = path(of: name) else {
            throw OctetTUIError.noSuchTheme(name: name, known: names())
        }
        let text: String
        do {
            // Not a device, FIFO or folder, at most 1 MiB, UTF-8 (a hostile file cannot hang us).
            text = try UserTextFile.read(path)
        } catch {
            throw OctetTUIError.io(path: path, problem: "\(error)")
        }
        return try ThemeParser().parse(text, file: path)
    }

    /// The theme called `name`, or, when it cannot be loaded, the default theme (the shipped
    /// `dark`, or the built-in copy of it) and the one-line reason to show the user.
    public func themeOrFallback(named name: String) -> (theme: Theme, problem: String?) {
        do {
            return (try theme(named: name), nil)
        } catch {
            let fallback =
                name == "dark" ? Theme.fallback : ((try? theme(named: "dark")) ?? .fallback)
            return (fallback, "\(error); using the \(fallback.name) theme")
        }
    }
}
