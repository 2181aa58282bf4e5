// MARK: - GGUF file
//
// A GGUF v2/v3 file, memory-mapped read-only and validated once in `init`: afterwards every
// tensor's data is known to lie inside the mapping, so `data(for:)` cannot fail.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed GGUF file whose tensor data stays in a read-only memory mapping.
///
/// ```swift
/// let file = try GGUFFile(path: modelPath)
/// let arch = try file.metadata.string("general.architecture")
/// guard let embd = file.tensor(named: "token_embd.weight") else { ... }
/// let weights = try file.dequantize(embd)       // [Float], embd.elementCount values
/// ```
public final class GGUFFile: @unchecked Sendable {
    // @unchecked: all stored properties are immutable; the mapping is read-only.

    /// The path (or the name given to `init(bytes:name:)`), used in every error.
    public let name: String
    /// The GGUF version (2 or 3).
    public let version: UInt32
    /// The key/value metadata.
    public let metadata: GGUFMetadata
    /// The tensor table, in file order.
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment` (default 32).
    public let alignment: Int
    /// Absolute offset where the tensor data section begins.
    public let dataOffset: Int
    /// Size of the file in bytes.
    public var fileSize: Int { storage.count }

    private let storage: GGUFStorage
    private let tensorIndex: [String: Int]

    /// Maps the file at `path` read-only (PROT_READ, MAP_PRIVATE) and parses it.
    /// - Throws: `GGUFError` naming `path` and the problem.
    public convenience init(path: String) throws {
        try self.init(storage: try GGUFStorage(mappingFileAt: path), name: path)
    }

    /// Parses a GGUF file held in memory (the bytes are copied into aligned memory).
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - name: the name used in errors.
    public convenience init(bytes: [UInt8], name: String) throws {
        try self.init(storage: GGUFStorage(copying: bytes), name: name)
    }

    private init(storage: GGUFStorage, name: String) throws {
        var parser = GGUFParser(buffer: storage.buffer, file: name)
        let result = try parser.parse()
        self.name = name
        self.storage = storage
        version = result.version
        metadata = result.metadata
        tensors = result.tensors
        alignment = result.alignment
        dataOffset = result.dataOffset
        var index = [String: Int](minimumCapacity: result.tensors.count)
        for (i, tensor) in result.tensors.enumerated() { index[tensor.name] = i }
        tensorIndex = index
    }

    // MARK: - Tensors

    /// The tensor called `named`, or nil.
    public func tensor(named: String) -> GGUFTensorInfo? {
        tensorIndex[named].map { tensors[$0] }
    }

    /// The raw bytes of `tensor` (checked against the file in `init`).
    /// - Precondition: `tensor` comes from this file's table.
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        precondition(
            tensor.offset >= dataOffset && tensor.offset + tensor.byteCount <= storage.count,
            "tensor '\(tensor.name)' is not from \(name)")
        return UnsafeRawBufferPointer(rebasing: storage.buffer[tensor.offset ..< tensor.offset + tensor.byteCount])
    }

    /// The whole file's bytes.
    public var bytes: UnsafeRawBufferPointer { storage.buffer }

    /// Dequantizes a whole tensor to floats.
    /// - Throws: `GGUFError.unsupportedDequantization` naming this file for types without a
    ///   dequantizer.
    public func dequantize(_ tensor: GGUFTensorInfo) throws -> [Float] {
        guard Dequantize.isSupported(tensor.type) else {
            throw GGUFError.unsupportedDequantization(file: name, type: tensor.type)
        }
        let source = data(for: tensor)
        let count = tensor.elementCount
        return try [Float](unsafeUninitializedCapacity: count) { destination, initialized in
            try Dequantize.toFloat(
                tensor.type, from: source.baseAddress!, count: count, into: destination.baseAddress!)
            initialized = count
        }
    }

    /// Tells the kernel it may drop the mapped pages (`madvise(MADV_DONTNEED)`), so that the
    /// resident size falls once the weights have been converted; the data stays readable
    /// (pages fault back in from the file). No effect for in-memory files.
    public func releasePages() {
        storage.releasePages()
    }
}

// MARK: - Storage

/// Owns the bytes of a file: a read-only mapping, or an aligned heap copy.
final class GGUFStorage: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    private let isMapped: Bool

    var count: Int { buffer.count }

    /// Maps `path` read-only; the descriptor is closed before returning. `O_NONBLOCK`: a FIFO
    /// given as the model opens at once (and is refused below) instead of waiting for a writer.
    init(mappingFileAt path: String) throws {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw GGUFError.cannotOpen(file: path, reason: Self.lastError()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw GGUFError.cannotOpen(file: path, reason: Self.lastError()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw GGUFError.cannotOpen(file: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        isMapped = size > 0
        guard size > 0 else {  // mmap rejects length 0; the parser reports the truncation
            buffer = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw GGUFError.cannotOpen(file: path, reason: "mmap failed: \(Self.lastError())")
        }
        buffer = UnsafeRawBufferPointer(start: address, count: size)
    }

    /// Copies `bytes` into memory aligned like a page-aligned mapping (64 bytes suffice for
    /// every ggml block type and for SIMD loads).
    init(copying bytes: [UInt8]) {
        isMapped = false
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { memory.copyMemory(from: base, byteCount: source.count) }
        }
        buffer = UnsafeRawBufferPointer(start: memory, count: bytes.count)
    }

    func releasePages() {
        guard isMapped, let base = buffer.baseAddress else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), buffer.count, MADV_DONTNEED)
    }

    deinit {
        guard let base = buffer.baseAddress else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
        } else {
            base.deallocate()
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
