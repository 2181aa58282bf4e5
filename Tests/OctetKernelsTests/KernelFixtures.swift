import XCTest
import OctetKernels

/// Test helpers: a seeded generator, owned C buffers, and a loop over the ISA levels.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-scale, scale).
    mutating func float(_ scale: Float = 1) -> Float {
        (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale
    }

    mutating func floats(_ n: Int, _ scale: Float = 1) -> [Float] { (0 ..< n).map { _ in float(scale) } }
}

/// Every ISA level this machine runs, lowest first; restores the best level afterwards.
func forEachISA(_ body: (oct_isa) throws -> Void) rethrows {
    let best = oct_isa_detect()
    defer { _ = oct_isa_set(best) }
    for raw in 0 ... best.rawValue {
        let isa = oct_isa_set(oct_isa(rawValue: raw))
        try body(isa)
    }
}

func isaName(_ isa: oct_isa) -> String { String(cString: oct_isa_name(isa)) }

/// A quantized activation of `count` values (owning its arrays).
final class Activation {
    var qs: [Int8]
    var scales: [Float]
    var corr: [Int32]

    init(_ x: [Float]) {
        qs = Array(repeating: 0, count: x.count)
        scales = Array(repeating: 0, count: x.count / 32)
        corr = Array(repeating: 0, count: x.count / 32)
        withKernel { act in x.withUnsafeBufferPointer { oct_quantize_act($0.baseAddress, x.count, act) } }
    }

    func withKernel<R>(_ body: (UnsafePointer<oct_q8_act>) throws -> R) rethrows -> R {
        try qs.withUnsafeMutableBufferPointer { q in
            try scales.withUnsafeMutableBufferPointer { s in
                try corr.withUnsafeMutableBufferPointer { c in
                    var act = oct_q8_act(qs: q.baseAddress, scales: s.baseAddress, corr: c.baseAddress)
                    return try body(&act)
                }
            }
        }
    }

    /// The dequantized values q * scale.
    var dequantized: [Float] { qs.indices.map { Float(qs[$0]) * scales[$0 / 32] } }
}

/// A packed matrix (owning its memory).
final class PackedMatrix {
    let rows: Int, cols: Int
    let qs: UnsafeMutablePointer<UInt8>
    let scales: UnsafeMutablePointer<UInt16>
    var kernel: oct_q8_matrix

    init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        qs = .allocate(capacity: oct_q8_matrix_qs_bytes(Int32(rows), Int32(cols)))
        scales = .allocate(capacity: oct_q8_matrix_scale_count(Int32(rows), Int32(cols)))
        kernel = oct_q8_matrix(qs: qs, scales: scales, rows: Int32(rows), cols: Int32(cols))
    }

    convenience init(rows: Int, cols: Int, floats: [Float]) {
        self.init(rows: rows, cols: cols)
        floats.withUnsafeBufferPointer { oct_q8_pack_f32(&kernel, 0, Int32(rows), $0.baseAddress) }
        oct_q8_pack_padding(&kernel)
    }

    deinit {
        qs.deallocate()
        scales.deallocate()
    }

    func row(_ r: Int) -> [Float] {
        var out = [Float](repeating: 0, count: cols)
        oct_q8_row(&kernel, Int32(r), &out)
        return out
    }

    var tiles: Int32 { oct_q8_tiles(Int32(rows)) }
}

/// Largest |a - b| over two arrays of the same length.
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
