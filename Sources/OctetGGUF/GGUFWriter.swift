// MARK: - GGUF writer
//
// Builds GGUF v3 (or v2) files in memory: used by the tests of this module and of the engine
// to make tiny synthetic models, and by anyone who wants to write a small GGUF file. Layout as
// in GGUFParser.swift; tensor data is placed in the order added, each padded to the alignment
// (as gguf-py's GGUFWriter does).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a GGUF file.
///
/// ```swift
/// var writer = GGUFWriter()
/// writer.add("general.architecture", .string("llama"))
/// writer.add("llama.block_count", .uint32(2))
/// writer.addTensor(name: "output_norm.weight", dimensions: [8], floats: Array(repeating: 1, count: 8))
/// let file = try GGUFFile(bytes: writer.bytes(), name: "tiny.gguf")
/// ```
public struct GGUFWriter: Sendable {
    /// One tensor to write: its table entry fields and its raw data.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var dimensions: [Int]
        public var type: GGMLType
        public var data: [UInt8]
    }

    /// GGUF version written (3 by default; 2 has the same layout for little-endian files).
    public var version: UInt32
    /// The key/value pairs in the order they will be written.
    public private(set) var metadata: [(key: String, value: GGUFValue)] = []
    /// The tensors in the order they will be written.
    public private(set) var tensors: [Tensor] = []

    /// Creates an empty writer.
    public init(version: UInt32 = 3) {
        self.version = version
    }

    /// The alignment the data section uses: `general.alignment` if set as uint32, else 32.
    public var alignment: Int {
        for (key, value) in metadata where key == "general.alignment" {
            if case .uint32(let a) = value, a > 0 { return Int(a) }
        }
        return GGUFParser.defaultAlignment
    }

    // MARK: - Adding content

    /// Appends a key/value pair (duplicates are written as given, so tests can build bad files).
    public mutating func add(_ key: String, _ value: GGUFValue) {
        metadata.append((key, value))
    }

    /// Replaces the value of `key` if present, otherwise appends it.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let i = metadata.firstIndex(where: { $0.key == key }) {
            metadata[i].value = value
        } else {
            add(key, value)
        }
    }

    /// Appends a tensor whose data is given as raw bytes (any type; not checked here).
    public mutating func addTensor(name: String, dimensions: [Int], type: GGMLType, data: [UInt8]) {
        tensors.append(Tensor(name: name, dimensions: dimensions, type: type, data: data))
    }

    /// Appends an F32 tensor.
    public mutating func addTensor(name: String, dimensions: [Int], floats: [Float]) {
        let data = floats.withUnsafeBytes { [UInt8]($0) }
        addTensor(name: name, dimensions: dimensions, type: .f32, data: data)
    }

    // MARK: - Output

    /// The whole file.
    public func bytes() -> [UInt8] {
        var out = ByteSink()
        out.append(UInt32(0x4655_4747))  // "GGUF"
        out.append(version)
        out.append(UInt64(tensors.count))
        out.append(UInt64(metadata.count))
        for (key, value) in metadata {
            out.append(string: key)
            out.append(value.type.rawValue)
            out.append(value: value)
        }
        let alignment = self.alignment
        var offset = 0
        for tensor in tensors {
            out.append(string: tensor.name)
            out.append(UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { out.append(Int64(dimension)) }
            out.append(tensor.type.rawValue)
            out.append(UInt64(offset))
            offset += Self.padded(tensor.data.count, to: alignment)
        }
        out.pad(to: alignment)
        for tensor in tensors {
            out.bytes += tensor.data
            out.pad(to: alignment)
        }
        return out.bytes
    }

    /// Writes the file to `path` (created or truncated).
    /// - Throws: `GGUFError.cannotOpen` naming `path` when it cannot be written.
    public func write(to path: String) throws {
        let data = bytes()
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw GGUFError.cannotOpen(file: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var written = 0
        while written < data.count {
            let n = data.withUnsafeBytes { writeBytes(fd, $0.baseAddress! + written, $0.count - written) }
            guard n > 0 else {
                throw GGUFError.cannotOpen(file: path, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }

    static func padded(_ count: Int, to alignment: Int) -> Int {
        (count + alignment - 1) / alignment * alignment
    }
}

/// `write(2)`, outside `GGUFWriter` whose `write(to:)` would shadow it.
private func writeBytes(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}

// MARK: - Byte sink

/// Appends little-endian values to a byte array.
struct ByteSink {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }

    mutating func append(string: String) {
        let utf8 = Array(string.utf8)
        append(UInt64(utf8.count))
        bytes += utf8
    }

    mutating func pad(to alignment: Int) {
        let target = GGUFWriter.padded(bytes.count, to: alignment)
        bytes += [UInt8](repeating: 0, count: target - bytes.count)
    }

    mutating func append(value: GGUFValue) {
        switch value {
        case .uint8(let v): append(v)
        case .int8(let v): append(v)
        case .uint16(let v): append(v)
        case .int16(let v): append(v)
        case .uint32(let v): append(v)
        case .int32(let v): append(v)
        case .uint64(let v): append(v)
        case .int64(let v): append(v)
        case .float32(let v): append(v.bitPattern)
        case .float64(let v): append(v.bitPattern)
        case .bool(let v): append(UInt8(v ? 1 : 0))
        case .string(let s): append(string: s)
        case .array(let a): append(array: a)
        }
    }

    mutating func append(array: GGUFArray) {
        append(array.elementType.rawValue)
        append(UInt64(array.count))
        switch array {
        case .uint8(let a): a.forEach { append($0) }
        case .int8(let a): a.forEach { append($0) }
        case .uint16(let a): a.forEach { append($0) }
        case .int16(let a): a.forEach { append($0) }
        case .uint32(let a): a.forEach { append($0) }
        case .int32(let a): a.forEach { append($0) }
        case .uint64(let a): a.forEach { append($0) }
        case .int64(let a): a.forEach { append($0) }
        case .float32(let a): a.forEach { append($0.bitPattern) }
        case .float64(let a): a.forEach { append($0.bitPattern) }
        case .bools(let a): a.forEach { append(UInt8($0 ? 1 : 0)) }
        case .strings(let a): a.forEach { append(string: $0) }
        case .arrays(let a): a.forEach { append(array: $0) }
        }
    }
}
