import Foundation

/// The unsent text of the input, kept in a small file so that a crash, a hang-up or a
/// closed terminal loses nothing (issue 7): written a second after each change and at exit,
/// removed when the input is empty, read back at the next start.
public struct DraftFile: Sendable {
    public let path: String

    /// A draft file at `path` (the executable uses `$XDG_STATE_HOME/octet/draft.txt` or the
    /// data directory).
    public init(path: String) {
        self.path = path
    }

    /// The saved draft, or nil when there is none.
    public func load() -> String? {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `text` (atomically, mode 0600); an empty text removes the file.
    public func save(_ text: String) throws {
        let manager = FileManager.default
        if text.isEmpty {
            if manager.fileExists(atPath: path) { try? manager.removeItem(atPath: path) }
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let temporary = path + ".tmp"
            guard
                manager.createFile(
                    atPath: temporary, contents: Data(text.utf8),
                    attributes: [.posixPermissions: 0o600])
            else {
                throw OctetTUIError.io(path: temporary, problem: "cannot write the draft")
            }
            // rename(2) replaces the old draft in one step: a crash leaves one or the other.
            guard rename(temporary, path) == 0 else {
                throw OctetTUIError.io(path: path, problem: "cannot replace the draft file")
            }
        } catch let error as OctetTUIError {
            throw error
        } catch {
            throw OctetTUIError.io(
                path: path, problem: "cannot write the draft (\(error.localizedDescription))")
        }
    }
}
