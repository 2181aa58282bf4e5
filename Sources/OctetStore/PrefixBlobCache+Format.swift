import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What names a blob: the model, the token prefix (by count and SHA-256) and the format.
/// File name: `<modelHash>-<tokenCount>-<prefixHash>.blob`.
struct BlobKey: Equatable {
    var modelHash: String
    var tokenCount: Int
    /// SHA-256 (hex) of the format's name, a zero byte, and the tokens as little-endian Int64s.
    var prefixHash: String

    /// - Throws: `StoreError.io` for a model hash that is not hex (it becomes a file name).
    init(modelHash: String, tokens: [Int], format: String) throws {
        guard !modelHash.isEmpty, modelHash.count <= 128,
            modelHash.allSatisfy({ $0.isHexDigit && ($0.isNumber || $0.isLowercase) })
        else {
            throw StoreError.io(path: modelHash, problem: "not a model hash (lowercase hex)")
        }
        var hasher = SHA256()
        hasher.update(data: Data(format.utf8) + [0])
        tokens.withUnsafeBufferPointer { buffer in
            var bytes = [UInt8]()
            bytes.reserveCapacity(buffer.count * 8)
            for token in buffer {
                withUnsafeBytes(of: Int64(token).littleEndian) { bytes.append(contentsOf: $0) }
            }
            hasher.update(data: bytes)
        }
        self.modelHash = modelHash
        self.tokenCount = tokens.count
        self.prefixHash = ModelFileHash.hex(hasher.finalize())
    }

    var fileName: String { "\(modelHash)-\(tokenCount)-\(prefixHash).blob" }

    /// The model hash and token count in a blob's file name; nil for other files.
    static func parse(fileName: String) -> (modelHash: String, tokenCount: Int)? {
        guard fileName.hasSuffix(".blob"), !fileName.hasPrefix(".") else { return nil }
        let parts = fileName.dropLast(5).split(separator: "-")
        guard parts.count == 3, let count = Int(parts[1]), count >= 0, parts[2].count == 64
        else { return nil }
        return (String(parts[0]), count)
    }
}

/// The header at the start of each blob file, all integers little-endian:
/// `OCTETKV1` (8 bytes), format (u32 length + UTF-8), model hash (u32 length + UTF-8),
/// token count (u64), prefix SHA-256 (32 bytes), payload length (u64), payload SHA-256
/// (32 bytes); then the payload.
struct BlobHeader {
    static let magic = Array("OCTETKV1".utf8)

    var format: String
    var modelHash: String
    var tokenCount: UInt64
    var prefixHash: String
    var payloadLength: UInt64
    var payloadHash: String

    init(key: BlobKey, format: String, payload: Data) {
        self.format = format
        modelHash = key.modelHash
        tokenCount = UInt64(key.tokenCount)
        prefixHash = key.prefixHash
        payloadLength = UInt64(payload.count)
        payloadHash = ModelFileHash.hex(SHA256.hash(data: payload))
    }

    func encoded() -> Data {
        var data = Data(Self.magic)
        func string(_ text: String) {
            integer(UInt32(text.utf8.count))
            data.append(contentsOf: Array(text.utf8))
        }
        func integer<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        string(format)
        string(modelHash)
        integer(tokenCount)
        data.append(contentsOf: Self.bytes(hex: prefixHash))
        integer(payloadLength)
        data.append(contentsOf: Self.bytes(hex: payloadHash))
        return data
    }

    /// Where the payload is in a blob file, when its header matches `key` and `format` and
    /// the payload has the recorded length and SHA-256; nil otherwise.
    static func validatedPayload(
        _ file: UnsafeRawBufferPointer, key: BlobKey, format: String
    ) -> Range<Int>? {
        var reader = ByteReader(bytes: file)
        guard reader.bytes(magic.count).map(Array.init) == magic,
            reader.string() == format,
            reader.string() == key.modelHash,
            reader.integer(UInt64.self) == UInt64(key.tokenCount),
            reader.bytes(32).map(ModelFileHash.hex) == key.prefixHash,
            let length = reader.integer(UInt64.self),
            let payloadHash = reader.bytes(32).map(ModelFileHash.hex),
            UInt64(reader.remaining) == length
        else { return nil }
        let payload = reader.offset..<file.count
        let digest = SHA256.hash(data: UnsafeRawBufferPointer(rebasing: file[payload]))
        return ModelFileHash.hex(digest) == payloadHash ? payload : nil
    }

    private static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}

/// Bounds-checked reading of a blob header.
private struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    var remaining: Int { bytes.count - offset }

    mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        guard let raw = bytes(MemoryLayout<T>.size) else { return nil }
        return raw.reversed().reduce(T(0)) { ($0 << 8) | T($1) }
    }

    mutating func string() -> String? {
        guard let length = integer(UInt32.self), let raw = bytes(Int(length)) else { return nil }
        return String(bytes: raw, encoding: .utf8)
    }
}

/// A blob file mapped into memory (copy-on-write, so the payload can be handed out as a
/// `Data` without copying 100 MB: the engine reads it once, straight from the page cache).
/// Blob files are replaced by rename and removed by unlink, never rewritten in place, so a
/// mapping stays valid for as long as it lives.
final class MappedFile {
    let base: UnsafeMutableRawPointer
    let size: Int

    /// Nil when the file cannot be opened or is empty.
    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
        size = Int(info.st_size)
        guard let pointer = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0),
            pointer != MAP_FAILED
        else { return nil }
        base = pointer
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

    /// The bytes of `range` as a `Data` that keeps the mapping alive until it is released.
    func data(_ range: Range<Int>) -> Data {
        Data(
            bytesNoCopy: base + range.lowerBound, count: range.count,
            deallocator: .custom { _, _ in withExtendedLifetime(self) {} })
    }

    deinit { munmap(base, size) }
}
