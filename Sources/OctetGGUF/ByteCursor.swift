// MARK: - Bounds-checked little-endian reader
//
// Every read checks the bytes that remain first; every count is checked against the bytes that
// remain before anything is allocated from it (a hostile count cannot make us allocate more
// than the file could describe). Model: llama.cpp ggml/src/gguf.cpp `gguf_reader`.

#if !_endian(little)
#error("OctetGGUF reads GGUF's little-endian values by copying bytes: little-endian hosts only")
#endif

/// A cursor over a byte buffer that throws `GGUFError` instead of reading past the end.
struct ByteCursor {
    let buffer: UnsafeRawBufferPointer
    let file: String
    /// The part of the file being read, for `GGUFError.truncated` (`header`, `metadata`, ...).
    var section = "header"
    /// Offset of the next byte to read.
    private(set) var position = 0
    /// Where reading stops: the buffer's end, or before it (the parser reads the header only
    /// from the file's first bytes, so that a huge sparse file with lying counts cannot make
    /// it parse, or allocate, gigabytes).
    var end: Int

    init(buffer: UnsafeRawBufferPointer, file: String) {
        self.buffer = buffer
        self.file = file
        end = buffer.count
    }

    /// Bytes left after `position`, up to `end`.
    var remaining: Int { max(0, end - position) }

    /// Bytes left after `position` in the whole buffer.
    private var remainingInFile: Int { max(0, buffer.count - position) }

    /// Throws `truncated` unless `count` more bytes are available (`headerTooLarge` when
    /// they are in the file but past `end`).
    func require(_ count: Int) throws {
        guard count <= remaining else {
            if count <= remainingInFile { throw GGUFError.headerTooLarge(file: file, limit: end) }
            throw GGUFError.truncated(file: file, section: section, offset: position, needed: count)
        }
    }

    /// Reads one little-endian integer.
    mutating func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        let value = buffer.baseAddress!.loadUnaligned(fromByteOffset: position, as: T.self)
        position += size
        return T(littleEndian: value)
    }

    /// Reads a uint64 count of items of at least `minimumSize` bytes each and checks that they
    /// can fit in the bytes that remain.
    mutating func readCount(_ what: @autoclosure () -> String, minimumSize: Int) throws -> Int {
        let offset = position
        let count = try read(UInt64.self)
        let size = max(minimumSize, 1)
        guard count <= UInt64(remaining / size) else {
            if count <= UInt64(remainingInFile / size) {
                throw GGUFError.headerTooLarge(file: file, limit: end)
            }
            throw GGUFError.countTooLarge(file: file, what: what(), count: count, offset: offset)
        }
        return Int(count)
    }

    /// Reads a GGUF string (uint64 length + UTF-8 bytes, no terminator).
    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let offset = position
        let length = try readCount("length of \(what())", minimumSize: 1)
        guard length > 0 else { return "" }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[position ..< position + length])
        guard let string = String(validating: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        else { throw GGUFError.invalidUTF8(file: file, what: what(), offset: offset) }
        position += length
        return string
    }

    /// Reads `count` fixed-size values with one copy (the caller has checked the count).
    mutating func readArray<T: FixedWidthInteger>(_: T.Type, count: Int) throws -> [T] {
        try copyArray(count: count)
    }

    /// Reads `count` float32 values.
    mutating func readFloats(count: Int) throws -> [Float] { try copyArray(count: count) }

    /// Reads `count` float64 values.
    mutating func readDoubles(count: Int) throws -> [Double] { try copyArray(count: count) }

    /// Copies `count` values of a trivial type laid out as on disk (little-endian host).
    private mutating func copyArray<T>(count: Int) throws -> [T] {
        let byteCount = count * MemoryLayout<T>.stride
        try require(byteCount)
        guard count > 0 else { return [] }
        let source = buffer.baseAddress! + position
        position += byteCount
        return [T](unsafeUninitializedCapacity: count) { destination, initialized in
            UnsafeMutableRawPointer(destination.baseAddress!).copyMemory(from: source, byteCount: byteCount)
            initialized = count
        }
    }

    /// Moves `position` forward to the next multiple of `alignment` (may pass the end).
    mutating func align(to alignment: Int) {
        position = (position + alignment - 1) / alignment * alignment
    }
}
