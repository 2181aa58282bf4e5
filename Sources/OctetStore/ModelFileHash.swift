import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of model files, and what identifies a file's version without reading it.
enum ModelFileHash {
    /// A file's identity for the hash cache: if none of these changed, neither did the hash.
    struct Stamp: Equatable {
        /// The absolute path, symbolic links resolved.
        var path: String
        var size: Int64
        /// Modification time, nanoseconds since 1970.
        var modified: Int64
    }

    /// The file's stamp.
    /// - Throws: `StoreError.io` naming the file when it cannot be found or read.
    static func stamp(_ path: String) throws -> Stamp {
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        var info = stat()
        guard stat(resolved, &info) == 0 else {
            throw StoreError.io(path: path, problem: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw StoreError.io(path: path, problem: "not a regular file")
        }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Stamp(
            path: resolved, size: Int64(info.st_size),
            modified: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    /// The SHA-256 of the whole file, lowercase hex, read in 4 MiB pieces.
    /// - Throws: `StoreError.io` naming the file.
    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.io(path: path, problem: "cannot read the file")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw StoreError.io(path: path, problem: "read error: \(error.localizedDescription)")
        }
        return hex(hasher.finalize())
    }

    /// Lowercase hex of a digest.
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
