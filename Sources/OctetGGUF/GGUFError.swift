// MARK: - Errors
//
// One error enum for the module (STYLE.md H3). Every case carries the file name (the path, or
// the name given to `GGUFFile(bytes:name:)`) and enough context (key, tensor, offset) to find
// the culprit; `description` is one line "<file>: <problem>".

/// Everything that can go wrong while reading a GGUF file or dequantizing its tensors.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened, measured or mapped (`reason` is the system's message).
    case cannotOpen(file: String, reason: String)
    /// The first four bytes are not `GGUF`.
    case notGGUF(file: String)
    /// A version other than 2 or 3 (v1 used 32-bit counts and is not supported).
    case unsupportedVersion(file: String, version: UInt32)
    /// The file ends inside `section` (`header`, `metadata`, `tensor table`): `needed` bytes
    /// were required at `offset`.
    case truncated(file: String, section: String, offset: Int, needed: Int)
    /// A count or length read at `offset` cannot fit in the bytes that remain.
    case countTooLarge(file: String, what: String, count: UInt64, offset: Int)
    /// The metadata and tensor table would go past the first `limit` bytes of the file.
    case headerTooLarge(file: String, limit: Int)
    /// A metadata key appears twice.
    case duplicateKey(file: String, key: String)
    /// A tensor name appears twice.
    case duplicateTensor(file: String, tensor: String)
    /// A key, tensor name or string value is not valid UTF-8.
    case invalidUTF8(file: String, what: String, offset: Int)
    /// A metadata value type id that GGUF does not define.
    case unknownValueType(file: String, key: String, typeID: UInt32)
    /// Arrays nested deeper than the reader accepts.
    case nestingTooDeep(file: String, key: String)
    /// A tensor type id that ggml does not define (or that it removed).
    case unknownTensorType(file: String, tensor: String, typeID: UInt32)
    /// A tensor with fewer than 1 or more than 4 dimensions.
    case invalidDimensionCount(file: String, tensor: String, count: UInt32)
    /// A dimension that is zero or negative.
    case invalidDimension(file: String, tensor: String, index: Int, value: Int64)
    /// The element or byte count of a tensor overflows a 64-bit integer.
    case tensorTooLarge(file: String, tensor: String)
    /// The row length (ne0) is not a multiple of the type's block size.
    case rowNotBlockMultiple(file: String, tensor: String, rowLength: Int, type: GGMLType)
    /// `general.alignment` is zero or not a power of two.
    case invalidAlignment(file: String, alignment: UInt64)
    /// A tensor's data offset is not a multiple of the alignment.
    case misalignedTensor(file: String, tensor: String, offset: UInt64, alignment: Int)
    /// A tensor's data does not lie inside the file.
    case tensorOutsideFile(file: String, tensor: String, offset: UInt64, byteCount: Int, fileSize: Int)
    /// Two tensors' data ranges overlap.
    case tensorsOverlap(file: String, first: String, second: String)
    /// A required metadata key is absent.
    case missingKey(file: String, key: String)
    /// A metadata key holds a value of another type than the one asked for.
    case wrongType(file: String, key: String, expected: String, found: String)
    /// A metadata integer does not fit the asked-for type (e.g. a uint64 above Int.max).
    case valueOutOfRange(file: String, key: String, value: String)
    /// The tensor type has no dequantizer (`file` is empty when called without a file).
    case unsupportedDequantization(file: String, type: GGMLType)
    /// A dequantization count that is not a multiple of the type's block size.
    case countNotBlockMultiple(file: String, type: GGMLType, count: Int)

    /// The file (or name) the error is about.
    public var file: String {
        switch self {
        case .cannotOpen(let f, _), .notGGUF(let f), .unsupportedVersion(let f, _),
             .truncated(let f, _, _, _), .countTooLarge(let f, _, _, _), .headerTooLarge(let f, _),
             .duplicateKey(let f, _),
             .duplicateTensor(let f, _), .invalidUTF8(let f, _, _), .unknownValueType(let f, _, _),
             .nestingTooDeep(let f, _), .unknownTensorType(let f, _, _),
             .invalidDimensionCount(let f, _, _), .invalidDimension(let f, _, _, _),
             .tensorTooLarge(let f, _), .rowNotBlockMultiple(let f, _, _, _),
             .invalidAlignment(let f, _), .misalignedTensor(let f, _, _, _),
             .tensorOutsideFile(let f, _, _, _, _), .tensorsOverlap(let f, _, _),
             .missingKey(let f, _), .wrongType(let f, _, _, _), .valueOutOfRange(let f, _, _),
             .unsupportedDequantization(let f, _), .countNotBlockMultiple(let f, _, _):
            return f
        }
    }

    /// One line: "<file>: <problem>".
    public var description: String {
        file.isEmpty ? problem : "\(file): \(problem)"
    }

    /// The problem without the file name.
    public var problem: String {
        switch self {
        case .cannotOpen(_, let reason):
            return "cannot open: \(reason)"
        case .notGGUF:
            return "not a GGUF file (the first 4 bytes are not \"GGUF\")"
        case .unsupportedVersion(_, let version):
            if version == 1 { return "GGUF version 1 is not supported (only versions 2 and 3)" }
            if version & 0xFFFF == 0 && version != 0 {
                return "GGUF version \(version) looks byte-swapped (big-endian files are not supported)"
            }
            return "unsupported GGUF version \(version) (only versions 2 and 3)"
        case .truncated(_, let section, let offset, let needed):
            return "truncated \(section): \(needed) bytes needed at offset \(offset) but the file ends first"
        case .countTooLarge(_, let what, let count, let offset):
            return "\(what) \(count) at offset \(offset) is larger than the rest of the file allows"
        case .headerTooLarge(_, let limit):
            return "the metadata and tensor table would take more than the first \(limit >> 20) MiB "
                + "of the file, more than a model's header needs (a count in it is wrong)"
        case .duplicateKey(_, let key):
            return "duplicate metadata key '\(key)'"
        case .duplicateTensor(_, let tensor):
            return "duplicate tensor '\(tensor)'"
        case .invalidUTF8(_, let what, let offset):
            return "\(what) at offset \(offset) is not valid UTF-8"
        case .unknownValueType(_, let key, let typeID):
            return "metadata key '\(key)' has unknown value type \(typeID)"
        case .nestingTooDeep(_, let key):
            return "metadata key '\(key)' nests arrays too deeply"
        case .unknownTensorType(_, let tensor, let typeID):
            return "tensor '\(tensor)' has unknown type id \(typeID)"
        case .invalidDimensionCount(_, let tensor, let count):
            return "tensor '\(tensor)' has \(count) dimensions (1 to 4 allowed)"
        case .invalidDimension(_, let tensor, let index, let value):
            return "tensor '\(tensor)' dimension \(index) is \(value) (must be positive)"
        case .tensorTooLarge(_, let tensor):
            return "tensor '\(tensor)' is too large (element count overflows)"
        case .rowNotBlockMultiple(_, let tensor, let rowLength, let type):
            return "tensor '\(tensor)' row length \(rowLength) is not a multiple of the "
                + "\(type) block size \(type.blockSize)"
        case .invalidAlignment(_, let alignment):
            return "general.alignment \(alignment) is not a power of two"
        case .misalignedTensor(_, let tensor, let offset, let alignment):
            return "tensor '\(tensor)' data offset \(offset) is not a multiple of the alignment \(alignment)"
        case .tensorOutsideFile(_, let tensor, let offset, let byteCount, let fileSize):
            return "tensor '\(tensor)' data (\(byteCount) bytes at data offset \(offset)) "
                + "is not within the file bounds (\(fileSize) bytes)"
        case .tensorsOverlap(_, let first, let second):
            return "the data of tensors '\(first)' and '\(second)' overlap"
        case .missingKey(_, let key):
            return "missing metadata key '\(key)'"
        case .wrongType(_, let key, let expected, let found):
            return "metadata key '\(key)' should be \(expected) but is \(found)"
        case .valueOutOfRange(_, let key, let value):
            return "metadata key '\(key)' value \(value) is out of range"
        case .unsupportedDequantization(_, let type):
            return "cannot dequantize tensor type \(type)"
        case .countNotBlockMultiple(_, let type, let count):
            return "cannot dequantize \(count) \(type) elements: not a multiple of the block size \(type.blockSize)"
        }
    }
}
