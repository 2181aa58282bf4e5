// MARK: - Metadata
//
// The key/value table of a GGUF file, in file order, with typed accessors that throw errors
// naming the file, the key, the expected and the found type.

/// The metadata of a GGUF file.
///
/// ```swift
/// let layers = try file.metadata.int("llama.block_count")
/// let tokens = try file.metadata.strings("tokenizer.ggml.tokens")
/// let bos = try file.metadata.optionalInt("tokenizer.ggml.bos_token_id")
/// ```
public struct GGUFMetadata: Sendable {
    /// The file name used in errors.
    public let fileName: String
    /// The keys in file order.
    public private(set) var keys: [String]
    private var values: [String: GGUFValue]

    /// Builds metadata from key/value pairs (in the given order).
    /// - Throws: `GGUFError.duplicateKey` when a key repeats.
    public init(fileName: String, entries: [(key: String, value: GGUFValue)]) throws {
        self.fileName = fileName
        keys = []
        keys.reserveCapacity(entries.count)
        values = [:]
        values.reserveCapacity(entries.count)
        for (key, value) in entries {
            guard values.updateValue(value, forKey: key) == nil else {
                throw GGUFError.duplicateKey(file: fileName, key: key)
            }
            keys.append(key)
        }
    }

    /// Number of key/value pairs.
    public var count: Int { keys.count }

    /// The value of `key`, or nil when absent.
    public subscript(key: String) -> GGUFValue? { values[key] }

    // MARK: - Required values

    /// The value of `key`; throws `missingKey` when absent.
    public func value(_ key: String) throws -> GGUFValue {
        guard let value = values[key] else { throw GGUFError.missingKey(file: fileName, key: key) }
        return value
    }

    /// A string value.
    public func string(_ key: String) throws -> String {
        try convertString(key, try value(key))
    }

    /// An integer value of any of the eight integer types.
    public func int(_ key: String) throws -> Int {
        try convertInt(key, try value(key))
    }

    /// A float32 or float64 value (integers are accepted too).
    public func float(_ key: String) throws -> Double {
        try convertFloat(key, try value(key))
    }

    /// A bool value.
    public func bool(_ key: String) throws -> Bool {
        try convertBool(key, try value(key))
    }

    /// An array of strings.
    public func strings(_ key: String) throws -> [String] {
        try convertStrings(key, try value(key))
    }

    /// An array of any integer element type.
    public func ints(_ key: String) throws -> [Int] {
        try convertInts(key, try value(key))
    }

    /// An array of float32 or float64 (or integer) elements.
    public func floats(_ key: String) throws -> [Float] {
        try convertFloats(key, try value(key))
    }

    // MARK: - Optional values (nil when absent, throwing on a wrong type)

    /// A string, or nil when `key` is absent.
    public func optionalString(_ key: String) throws -> String? {
        try values[key].map { try convertString(key, $0) }
    }

    /// An integer, or nil when `key` is absent.
    public func optionalInt(_ key: String) throws -> Int? {
        try values[key].map { try convertInt(key, $0) }
    }

    /// A float, or nil when `key` is absent.
    public func optionalFloat(_ key: String) throws -> Double? {
        try values[key].map { try convertFloat(key, $0) }
    }

    /// A bool, or nil when `key` is absent.
    public func optionalBool(_ key: String) throws -> Bool? {
        try values[key].map { try convertBool(key, $0) }
    }

    /// An array of strings, or nil when `key` is absent.
    public func optionalStrings(_ key: String) throws -> [String]? {
        try values[key].map { try convertStrings(key, $0) }
    }

    /// An array of integers, or nil when `key` is absent.
    public func optionalInts(_ key: String) throws -> [Int]? {
        try values[key].map { try convertInts(key, $0) }
    }

    /// An array of floats, or nil when `key` is absent.
    public func optionalFloats(_ key: String) throws -> [Float]? {
        try values[key].map { try convertFloats(key, $0) }
    }

    // MARK: - Conversions

    private func wrongType(_ key: String, _ expected: String, _ value: GGUFValue) -> GGUFError {
        .wrongType(file: fileName, key: key, expected: expected, found: value.typeName)
    }

    private func convertString(_ key: String, _ value: GGUFValue) throws -> String {
        guard case .string(let s) = value else { throw wrongType(key, "string", value) }
        return s
    }

    private func convertInt(_ key: String, _ value: GGUFValue) throws -> Int {
        guard value.isInteger else { throw wrongType(key, "an integer", value) }
        guard let v = value.integerValue, let i = Int(exactly: v) else {
            throw GGUFError.valueOutOfRange(file: fileName, key: key, value: "\(value)")
        }
        return i
    }

    private func convertFloat(_ key: String, _ value: GGUFValue) throws -> Double {
        switch value {
        case .float32(let f): return Double(f)
        case .float64(let f): return f
        case .uint64(let v): return Double(v)
        default:
            guard let v = value.integerValue else { throw wrongType(key, "a float", value) }
            return Double(v)
        }
    }

    private func convertBool(_ key: String, _ value: GGUFValue) throws -> Bool {
        guard case .bool(let b) = value else { throw wrongType(key, "bool", value) }
        return b
    }

    private func convertStrings(_ key: String, _ value: GGUFValue) throws -> [String] {
        guard case .array(.strings(let s)) = value else {
            throw wrongType(key, "array of string", value)
        }
        return s
    }

    private func convertInts(_ key: String, _ value: GGUFValue) throws -> [Int] {
        guard case .array(let array) = value, array.elementType.fixedSize != nil,
              array.elementType != .float32, array.elementType != .float64,
              array.elementType != .bool
        else { throw wrongType(key, "array of integers", value) }
        guard let ints = array.integers else {
            throw GGUFError.valueOutOfRange(file: fileName, key: key, value: "(uint64 element above Int.max)")
        }
        return ints
    }

    private func convertFloats(_ key: String, _ value: GGUFValue) throws -> [Float] {
        guard case .array(let array) = value else { throw wrongType(key, "array of float", value) }
        switch array {
        case .float32(let a): return a
        case .float64(let a): return a.map { Float($0) }
        case .uint64(let a): return a.map { Float($0) }
        default:
            guard let ints = array.integers else { throw wrongType(key, "array of float", value) }
            return ints.map { Float($0) }
        }
    }
}
