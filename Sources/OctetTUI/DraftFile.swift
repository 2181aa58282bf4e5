import Foundation
import OctetChat

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

    /// The largest draft read back: 16 MiB (a draft is what the user typed or pasted, which
    /// may be long, but a file larger than this at the draft's path is not one of ours).
    public static let sizeLimit = 16 << 20

    /// The saved draft, or nil when there is none. Bytes that are not UTF-8 are read as
    /// U+FFFD (the text matters more than its damage); the input shows control characters
    /// as symbols.
    /// - Throws: `OctetTUIError.io` for what cannot be a draft (a folder, a device, a FIFO,
    ///   a file over the limit) or cannot be read; the caller reports it and goes on.
    public func load() throws -> String? {
        let bytes: [UInt8]
        do {
            bytes = try UserTextFile.readBytes(path, limit: Self.sizeLimit)
        } catch UserTextFile.Problem.missing {
            return nil
        } catch {
            throw OctetTUIError.io(path: path, problem: "\(error) (the draft was not restored)")
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `text` (atomically, mode 0600); an empty text removes the file.
    public func save(_ text: String) throws {
        let manager = FileManager.default
        if text.isEmpty {
            // unlink, not removeItem: a folder that happens to be at the draft's path is the
            // user's, and must not be deleted with everything in it.
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR { unlink(path) }
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
