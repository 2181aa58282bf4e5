import Crypto
import Foundation

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

    /// The payload of a blob file when its header matches `key` and `format` and the payload
    /// has the recorded length and SHA-256; nil otherwise.
    static func validatedPayload(_ file: Data, key: BlobKey, format: String) -> Data? {
        var reader = ByteReader(data: file)
        guard reader.bytes(magic.count) == magic,
            reader.string() == format,
            reader.string() == key.modelHash,
            reader.integer(UInt64.self) == UInt64(key.tokenCount),
            reader.bytes(32).map(ModelFileHash.hex) == key.prefixHash,
            let length = reader.integer(UInt64.self),
            let payloadHash = reader.bytes(32).map(ModelFileHash.hex),
            UInt64(reader.remaining) == length
        else { return nil }
        let payload = file.suffix(reader.remaining)
        guard ModelFileHash.hex(SHA256.hash(data: payload)) == payloadHash else { return nil }
        return Data(payload)
    }

    private static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }
}

/// Bounds-checked reading of a blob header.
private struct ByteReader {
    let data: Data
    var offset = 0

    var remaining: Int { data.count - offset }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, remaining >= count else { return nil }
        let start = data.startIndex + offset
        offset += count
        return Array(data[start..<start + count])
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
