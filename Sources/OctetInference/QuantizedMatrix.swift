import OctetGGUF
import OctetKernels

// MARK: - INT8 weight matrix

/// A weight matrix held as INT8 blocks of 32 values with one float16 scale (the Q8_0 layout),
/// packed in the kernels' tile layout (`oct_q8_matrix` in octet_kernels.h), whatever type
/// the file stored it in.
final class QuantizedMatrix {
    /// Output features.
    let rows: Int
    /// Input features (a multiple of 32).
    let cols: Int
    /// The kernels' view: pointers to the bytes and scales below; stable for the lifetime.
    let kernel: UnsafeMutablePointer<oct_q8_matrix>
    /// (tiles x 16 x cols) bytes: value + 128.
    private let qs: UnsafeMutableRawPointer
    /// (tiles x 16 x cols / 32) float16 scales.
    private let scales: UnsafeMutablePointer<UInt16>
    /// Where `qs` and `scales` live (kept alive with the matrix).
    private let arena: WeightArena

    /// An empty `rows` x `cols` matrix in `arena` (contents undefined until packed).
    init(rows: Int, cols: Int, arena: WeightArena) {
        self.rows = rows
        self.cols = cols
        self.arena = arena
        let scaleCount = oct_q8_matrix_scale_count(Int32(rows), Int32(cols))
        qs = arena.take(oct_q8_matrix_qs_bytes(Int32(rows), Int32(cols)))
        scales = arena.take(2 * scaleCount).bindMemory(to: UInt16.self, capacity: scaleCount)
        kernel = .allocate(capacity: 1)
        kernel.initialize(to: oct_q8_matrix(
            qs: qs.assumingMemoryBound(to: UInt8.self), scales: scales,
            rows: Int32(rows), cols: Int32(cols)))
    }

    deinit {
        kernel.deallocate()
    }

    /// Bytes held (weights and scales).
    var byteCount: Int { Self.byteCount(rows: rows, cols: cols) }

    /// Bytes a `rows` x `cols` matrix holds (weights and scales).
    static func byteCount(rows: Int, cols: Int) -> Int {
        oct_q8_matrix_qs_bytes(Int32(rows), Int32(cols))
            + 2 * oct_q8_matrix_scale_count(Int32(rows), Int32(cols))
    }

    /// Row `row` dequantized into `out` (`cols` floats): the embedding lookup.
    func dequantizeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
        oct_q8_row(kernel, Int32(row), out)
    }
}

// MARK: - Requantization

extension QuantizedMatrix {
    /// Tensor types whose matrices can be requantized (those OctetGGUF dequantizes).
    static func canLoad(_ type: GGMLType) -> Bool { Dequantize.isSupported(type) }

    /// Fills the matrix from `data` holding the rows in GGUF type `type`: Q8_0 blocks are
    /// copied exactly, F32 rows quantized directly, every other type dequantized a tile of 16
    /// rows at a time and quantized (scale = max|w| / 127 per block of 32).
    /// - Precondition: `canLoad(type)`, and `data` holds `rows` rows of `cols` values of it.
    func pack(from data: UnsafeRawPointer, type: GGMLType) throws {
        switch type {
        case .q8_0:
            oct_q8_pack_q8_0(kernel, 0, Int32(rows), data)
        case .f32:
            oct_q8_pack_f32(kernel, 0, Int32(rows), data.assumingMemoryBound(to: Float.self))
        default:
            let rowBytes = cols / type.blockSize * type.blockBytes
            let chunk = Int(OCT_TILE)
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: chunk * cols)
            defer { scratch.deallocate() }
            for row0 in stride(from: 0, to: rows, by: chunk) {
                let n = min(chunk, rows - row0)
                try Dequantize.toFloat(type, from: data + row0 * rowBytes, count: n * cols, into: scratch)
                oct_q8_pack_f32(kernel, Int32(row0), Int32(n), scratch)
            }
        }
        oct_q8_pack_padding(kernel)
    }
}
