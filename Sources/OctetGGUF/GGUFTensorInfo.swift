// MARK: - Tensor table entry

/// One entry of a GGUF tensor table.
///
/// Dimensions are in ggml order: `dimensions[0]` (ne0) is the row length, the fastest-varying
/// index; a weight matrix with `dimensions == [576, 1536]` has 1536 rows of 576 elements and
/// row r is output feature r.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor name (`blk.0.attn_q.weight`).
    public let name: String
    /// ne0 first; 1 to 4 positive values.
    public let dimensions: [Int]
    /// The element type.
    public let type: GGMLType
    /// Absolute byte offset of the tensor's data in the file.
    public let offset: Int

    /// Creates a table entry (the reader validates entries before creating them).
    public init(name: String, dimensions: [Int], type: GGMLType, offset: Int) {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
    }

    /// Product of all dimensions.
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Bytes of data: elementCount / blockSize * blockBytes.
    public var byteCount: Int { elementCount / type.blockSize * type.blockBytes }

    /// Elements per row (ne0).
    public var rowLength: Int { dimensions.first ?? 1 }

    /// Number of rows: the product of the dimensions after ne0 (1 for a vector).
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }

    /// Bytes of one row.
    public var rowByteCount: Int { rowLength / type.blockSize * type.blockBytes }
}
