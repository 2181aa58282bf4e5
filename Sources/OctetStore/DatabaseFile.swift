import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks and preparation done on the database path before SQLite sees it, so that a file
/// that is not ours is never written to, and a new one is private from its first byte.
enum DatabaseFile {
    /// What was found at the path.
    enum State: Equatable {
        /// Nothing, or an empty file: SQLite will create the schema.
        case new
        /// A file that starts like an SQLite database.
        case existing
    }

    /// The 16 bytes every SQLite 3 database file starts with (sqlite.org/fileformat.html).
    static let header = Array("SQLite format 3\0".utf8)

    /// Creates the folder (mode 0700) and the empty file (mode 0600) when missing, and makes an
    /// existing file private (0600). Throws `StoreError.notADatabase` for a file that does not
    /// start with SQLite's header, before anything touches it.
    static func prepare(_ path: String) throws -> State {
        try createDirectory(for: path)
        var info = stat()
        guard stat(path, &info) == 0 else {
            // Only "nothing there" means a new file; a symbolic-link loop, a path through a
            // file, a name too long are said as they are.
            let code = errno
            guard code == ENOENT else {
                throw StoreError.io(path: path, problem: String(cString: strerror(code)))
            }
            try createFile(path)
            return .new
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw StoreError.io(path: path, problem: "not a regular file (\(kind(info.st_mode)))")
        }
        if info.st_size == 0 {
            // An empty file (made with touch or mktemp) becomes a new database, private too.
            makePrivate(path, mode: info.st_mode)
            return .new
        }
        guard try readHeader(path) == header else { throw StoreError.notADatabase(path: path) }
        makePrivate(path, mode: info.st_mode)
        return .existing
    }

    /// Takes the group's and others' permissions away from the file, and gives its `-wal`
    /// and `-shm` companions the file's own: SQLite creates them with the file's mode, so a
    /// failed open of a read-only file leaves read-only companions that would keep failing
    /// after the file itself is made writable again. Best effort: a file we do not own keeps
    /// its mode, and SQLite says if it cannot be opened. The owner's bits are never added:
    /// a file made read-only on purpose stays so.
    private static func makePrivate(_ path: String, mode: mode_t) {
        let owner = mode & 0o700
        if mode & 0o777 != owner { _ = chmod(path, owner) }
        for companion in [path + "-wal", path + "-shm"] {
            var info = stat()
            if stat(companion, &info) == 0, info.st_mode & 0o777 != owner {
                _ = chmod(companion, owner)
            }
        }
    }

    // MARK: - Helpers

    /// "a directory", "a FIFO"... for what is at the path.
    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a file"
        }
    }

    private static func createDirectory(for path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError.io(path: path, problem: "\(directory) is not a folder")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.io(path: path, problem: "cannot create the folder \(directory)")
        }
    }

    /// `O_EXCL`: when another process creates the file at the same moment, theirs is kept.
    private static func createFile(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        let code = errno
        if code == EEXIST { return }
        if code == EACCES || code == EROFS || code == EPERM {
            throw StoreError.readOnly(path: path)
        }
        if code == ENOSPC { throw StoreError.diskFull(path: path) }
        throw StoreError.io(path: path, problem: String(cString: strerror(code)))
    }

    private static func readHeader(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.io(path: path, problem: "cannot read the file (permissions?)")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: header.count)) ?? nil
        return Array(data ?? Data())
    }
}
