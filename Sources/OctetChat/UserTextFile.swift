import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a small text file the user edits (a prompt template, a theme, `config.yaml`, the
/// draft) without trusting it: whatever sits at the path, the read neither hangs nor eats
/// memory, and a file that is not small UTF-8 text is refused with a reason (issue 8).
///
/// The checks, in order: `stat` (which follows symbolic links) must find a regular file,
/// so a FIFO, a socket, a directory called `x.yaml` or a link to `/dev/zero` is refused
/// before it is opened; the file must be at most `limit` bytes; it is opened with
/// `O_NONBLOCK` and checked again with `fstat` (the path may have changed in between); at
/// most `limit + 1` bytes are read, so a file that grows meanwhile is still refused; then
/// no NUL byte (a binary file) and valid UTF-8.
///
/// ```swift
/// let text = try UserTextFile.read("/home/me/.config/octet/prompts/x.yaml")
/// ```
public enum UserTextFile {
    /// The largest file read: 1 MiB, far more than any template, theme or config needs.
    public static let defaultLimit = 1 << 20

    /// Why a file was not read; the description completes "PATH: ...".
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// Nothing at the path (or a symbolic link to nothing).
        case missing
        /// A directory, FIFO, socket or device: `kind` says which.
        case notARegularFile(kind: String)
        /// Larger than the limit.
        case tooLarge(size: Int, limit: Int)
        /// `open` or `read` failed: the system's reason (e.g. "Permission denied").
        case unreadable(reason: String)
        /// Holds a NUL byte: not text.
        case binary(offset: Int)
        /// Not valid UTF-8 from `offset` on.
        case notUTF8(offset: Int)

        public var description: String {
            switch self {
            case .missing:
                return "no such file"
            case .notARegularFile(let kind):
                return "is \(kind), not a regular file; not read"
            case .tooLarge(let size, let limit):
                return "is \(size) bytes, larger than the limit of \(limit) bytes "
                    + "(\(UserTextFile.readable(limit))); not read"
            case .unreadable(let reason):
                return "cannot be read: \(reason)"
            case .binary(let offset):
                return "is a binary file (a NUL byte at offset \(offset)), not text"
            case .notUTF8(let offset):
                return "is not UTF-8 text (invalid byte at offset \(offset))"
            }
        }
    }

    // MARK: - Reading

    /// The text of the file at `path`.
    /// - Throws: `Problem`.
    public static func read(_ path: String, limit: Int = defaultLimit) throws -> String {
        let bytes = try readBytes(path, limit: limit)
        if let nul = bytes.firstIndex(of: 0) { throw Problem.binary(offset: nul) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Problem.notUTF8(offset: firstInvalidOffset(bytes))
        }
        return text
    }

    /// The bytes of the file at `path`, after the same checks of kind and size.
    /// - Throws: `Problem`.
    public static func readBytes(_ path: String, limit: Int = defaultLimit) throws -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { throw Problem.missing }
            throw Problem.unreadable(reason: String(cString: strerror(code)))
        }
        try check(info, limit: limit)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Problem.unreadable(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fstat(fd, &info) == 0 else {
            throw Problem.unreadable(reason: String(cString: strerror(errno)))
        }
        try check(info, limit: limit)
        return try readAll(fd, limit: limit)
    }

    /// Refuses what is not a regular file of at most `limit` bytes.
    private static func check(_ info: stat, limit: Int) throws {
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else { throw Problem.notARegularFile(kind: describe(kind)) }
        if Int(info.st_size) > limit { throw Problem.tooLarge(size: Int(info.st_size), limit: limit) }
    }

    /// Reads until the end, or until more than `limit` bytes have come.
    private static func readAll(_ fd: Int32, limit: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Problem.unreadable(reason: String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
            if bytes.count > limit { throw Problem.tooLarge(size: bytes.count, limit: limit) }
        }
    }

    // MARK: - Words for the messages

    /// "a directory", "a FIFO"... for a file type of `st_mode`.
    static func describe(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a file"
        }
    }

    /// 1048576 -> "1 MiB", 16384 -> "16 KiB".
    static func readable(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence
    /// (also for stdin, in the executable).
    public static func firstInvalidOffset(_ bytes: [UInt8]) -> Int {
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }
}

/// read(2), out of the enum whose own `read` would hide it.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
