// MARK: - GGUF parser
//
// Reads header, metadata and tensor table from a byte buffer and validates them, in the order
// and with the checks of llama.cpp ggml/src/gguf.cpp `gguf_init_from_reader`: magic, version,
// counts against the bytes remaining, duplicate keys and tensor names, 1..4 dimensions, positive
// dimensions without overflow, known types, rows a multiple of the block size, alignment a
// power of two, tensor data aligned and inside the file. Layout (GGUF v2/v3):
//
//     "GGUF" | u32 version | u64 n_tensors | u64 n_kv
//     n_kv x (string key | u32 type | value)
//     n_tensors x (string name | u32 n_dims | n_dims x i64 ne | u32 type | u64 offset)
//     padding to general.alignment | tensor data (offsets relative to here)

/// What the parser found: everything `GGUFFile` exposes.
struct GGUFParseResult {
    var version: UInt32
    var metadata: GGUFMetadata
    var tensors: [GGUFTensorInfo]
    var alignment: Int
    var dataOffset: Int
}

/// Parses a whole GGUF file held in memory (mapped or copied).
struct GGUFParser {
    /// Deepest array nesting accepted (llama.cpp accepts none; gguf-py writes any).
    static let maximumNesting = 8
    /// Default `general.alignment` (gguf.h GGUF_DEFAULT_ALIGNMENT).
    static let defaultAlignment = 32
    /// Smallest tensor-table entry: name length, n_dims, one dimension, type, offset.
    static let minimumTensorInfoSize = 8 + 4 + 8 + 4 + 8
    /// Smallest metadata entry: key length, type, one byte of value.
    static let minimumKeyValueSize = 8 + 4 + 1
    /// The header (metadata and tensor table) must lie in the file's first 64 MiB: real
    /// ones take a few MB (a 256k-token vocabulary with its merges), and this bounds what a
    /// huge sparse file with lying counts can make the parser read and allocate.
    static let maximumHeaderSize = 64 << 20
    /// Capacity reserved ahead for a list read from the file; more grows as items come, so
    /// a lying count costs nothing until the bytes are really there.
    static let maximumReservation = 1 << 16

    private var cursor: ByteCursor
    private var file: String { cursor.file }

    init(buffer: UnsafeRawBufferPointer, file: String) {
        cursor = ByteCursor(buffer: buffer, file: file)
        cursor.end = min(buffer.count, Self.maximumHeaderSize)
    }

    /// Parses and validates the file.
    mutating func parse() throws -> GGUFParseResult {
        let (version, tensorCount, keyCount) = try parseHeader()
        cursor.section = "metadata"
        var entries: [(key: String, value: GGUFValue)] = []
        entries.reserveCapacity(min(keyCount, Self.maximumReservation))
        for index in 0 ..< keyCount {
            entries.append(try parseKeyValue(index: index))
        }
        let metadata = try GGUFMetadata(fileName: file, entries: entries)
        let alignment = try alignment(in: metadata)
        cursor.section = "tensor table"
        var tensors: [(name: String, dims: [Int], type: GGMLType, offset: UInt64)] = []
        tensors.reserveCapacity(min(tensorCount, Self.maximumReservation))
        var names = Set<String>(minimumCapacity: min(tensorCount, Self.maximumReservation))
        for _ in 0 ..< tensorCount {
            let tensor = try parseTensorInfo(alignment: alignment)
            guard names.insert(tensor.name).inserted else {
                throw GGUFError.duplicateTensor(file: file, tensor: tensor.name)
            }
            tensors.append(tensor)
        }
        cursor.align(to: alignment)
        let dataOffset = cursor.position
        let infos = try placeTensors(tensors, dataOffset: dataOffset)
        return GGUFParseResult(
            version: version, metadata: metadata, tensors: infos, alignment: alignment,
            dataOffset: dataOffset)
    }

    // MARK: - Header

    private mutating func parseHeader() throws -> (UInt32, Int, Int) {
        cursor.section = "header"
        try cursor.require(4)
        let magic = try cursor.read(UInt32.self)
        guard magic == 0x4655_4747 else { throw GGUFError.notGGUF(file: file) }  // "GGUF"
        let version = try cursor.read(UInt32.self)
        guard version == 2 || version == 3 else {
            throw GGUFError.unsupportedVersion(file: file, version: version)
        }
        let tensorCount = try cursor.readCount("tensor count", minimumSize: Self.minimumTensorInfoSize)
        let keyCount = try cursor.readCount("metadata key count", minimumSize: Self.minimumKeyValueSize)
        return (version, tensorCount, keyCount)
    }

    // MARK: - Metadata

    private mutating func parseKeyValue(index: Int) throws -> (key: String, value: GGUFValue) {
        let key = try cursor.readString("metadata key #\(index)")
        let typeID = try cursor.read(UInt32.self)
        guard let type = GGUFValueType(rawValue: typeID) else {
            throw GGUFError.unknownValueType(file: file, key: key, typeID: typeID)
        }
        return (key, try parseValue(type, key: key))
    }

    private mutating func parseValue(_ type: GGUFValueType, key: String) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try cursor.read(UInt8.self))
        case .int8: return .int8(try cursor.read(Int8.self))
        case .uint16: return .uint16(try cursor.read(UInt16.self))
        case .int16: return .int16(try cursor.read(Int16.self))
        case .uint32: return .uint32(try cursor.read(UInt32.self))
        case .int32: return .int32(try cursor.read(Int32.self))
        case .uint64: return .uint64(try cursor.read(UInt64.self))
        case .int64: return .int64(try cursor.read(Int64.self))
        case .float32: return .float32(Float(bitPattern: try cursor.read(UInt32.self)))
        case .float64: return .float64(Double(bitPattern: try cursor.read(UInt64.self)))
        case .bool: return .bool(try cursor.read(UInt8.self) != 0)
        case .string: return .string(try cursor.readString("value of '\(key)'"))
        case .array: return .array(try parseArray(key: key, depth: 1))
        }
    }

    private mutating func parseArray(key: String, depth: Int) throws -> GGUFArray {
        let typeID = try cursor.read(UInt32.self)
        guard let type = GGUFValueType(rawValue: typeID) else {
            throw GGUFError.unknownValueType(file: file, key: key, typeID: typeID)
        }
        let count = try cursor.readCount("array length of '\(key)'", minimumSize: type.minimumSize)
        switch type {
        case .uint8: return .uint8(try cursor.readArray(UInt8.self, count: count))
        case .int8: return .int8(try cursor.readArray(Int8.self, count: count))
        case .uint16: return .uint16(try cursor.readArray(UInt16.self, count: count))
        case .int16: return .int16(try cursor.readArray(Int16.self, count: count))
        case .uint32: return .uint32(try cursor.readArray(UInt32.self, count: count))
        case .int32: return .int32(try cursor.readArray(Int32.self, count: count))
        case .uint64: return .uint64(try cursor.readArray(UInt64.self, count: count))
        case .int64: return .int64(try cursor.readArray(Int64.self, count: count))
        case .float32: return .float32(try cursor.readFloats(count: count))
        case .float64: return .float64(try cursor.readDoubles(count: count))
        case .bool: return .bools(try cursor.readArray(UInt8.self, count: count).map { $0 != 0 })
        case .string:
            var strings = [String]()
            strings.reserveCapacity(min(count, Self.maximumReservation))
            for _ in 0 ..< count { strings.append(try cursor.readString("string in '\(key)'")) }
            return .strings(strings)
        case .array:
            guard depth < Self.maximumNesting else {
                throw GGUFError.nestingTooDeep(file: file, key: key)
            }
            var arrays = [GGUFArray]()
            arrays.reserveCapacity(min(count, Self.maximumReservation))
            for _ in 0 ..< count { arrays.append(try parseArray(key: key, depth: depth + 1)) }
            return .arrays(arrays)
        }
    }

    /// `general.alignment`: a uint32 power of two (gguf.cpp requires the uint32 type too).
    private func alignment(in metadata: GGUFMetadata) throws -> Int {
        guard let value = metadata["general.alignment"] else { return Self.defaultAlignment }
        guard case .uint32(let alignment) = value else {
            throw GGUFError.wrongType(
                file: file, key: "general.alignment", expected: "uint32", found: value.typeName)
        }
        guard alignment != 0, alignment & (alignment - 1) == 0 else {
            throw GGUFError.invalidAlignment(file: file, alignment: UInt64(alignment))
        }
        return Int(alignment)
    }
}

// MARK: - Tensor table

extension GGUFParser {
    typealias RawTensor = (name: String, dims: [Int], type: GGMLType, offset: UInt64)

    private mutating func parseTensorInfo(alignment: Int) throws -> RawTensor {
        let name = try cursor.readString("tensor name")
        let dimensionCount = try cursor.read(UInt32.self)
        guard (1 ... 4).contains(dimensionCount) else {  // GGML_MAX_DIMS = 4
            throw GGUFError.invalidDimensionCount(file: file, tensor: name, count: dimensionCount)
        }
        var dims = [Int]()
        dims.reserveCapacity(Int(dimensionCount))
        var elementCount = 1
        for index in 0 ..< Int(dimensionCount) {
            let value = try cursor.read(Int64.self)
            guard value > 0 else {
                throw GGUFError.invalidDimension(file: file, tensor: name, index: index, value: value)
            }
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: Int(value))
            guard !overflow else { throw GGUFError.tensorTooLarge(file: file, tensor: name) }
            elementCount = product
            dims.append(Int(value))
        }
        let typeID = try cursor.read(UInt32.self)
        guard let type = GGMLType(rawValue: typeID) else {
            throw GGUFError.unknownTensorType(file: file, tensor: name, typeID: typeID)
        }
        guard dims[0] % type.blockSize == 0 else {
            throw GGUFError.rowNotBlockMultiple(file: file, tensor: name, rowLength: dims[0], type: type)
        }
        // elementCount / blockSize * blockBytes must not overflow either.
        guard !(elementCount / type.blockSize).multipliedReportingOverflow(by: type.blockBytes).overflow
        else { throw GGUFError.tensorTooLarge(file: file, tensor: name) }
        let offset = try cursor.read(UInt64.self)
        guard offset % UInt64(alignment) == 0 else {
            throw GGUFError.misalignedTensor(file: file, tensor: name, offset: offset, alignment: alignment)
        }
        return (name, dims, type, offset)
    }

    /// Checks that every tensor's data lies inside the file and that no two overlap, and
    /// converts offsets to absolute ones.
    private func placeTensors(_ tensors: [RawTensor], dataOffset: Int) throws -> [GGUFTensorInfo] {
        let fileSize = cursor.buffer.count
        let dataSize = UInt64(max(0, fileSize - dataOffset))
        var infos = [GGUFTensorInfo]()
        infos.reserveCapacity(tensors.count)
        for tensor in tensors {
            let probe = GGUFTensorInfo(name: tensor.name, dimensions: tensor.dims, type: tensor.type, offset: 0)
            let byteCount = probe.byteCount
            guard tensor.offset <= dataSize, UInt64(byteCount) <= dataSize - tensor.offset else {
                throw GGUFError.tensorOutsideFile(
                    file: file, tensor: tensor.name, offset: tensor.offset, byteCount: byteCount,
                    fileSize: fileSize)
            }
            infos.append(GGUFTensorInfo(
                name: tensor.name, dimensions: tensor.dims, type: tensor.type,
                offset: dataOffset + Int(tensor.offset)))
        }
        let byOffset = infos.sorted { $0.offset < $1.offset }
        for (previous, next) in zip(byOffset, byOffset.dropFirst())
        where previous.offset + previous.byteCount > next.offset {
            throw GGUFError.tensorsOverlap(file: file, first: previous.name, second: next.name)
        }
        return infos
    }
}
