import XCTest
import OctetKernels

/// Block quantization against its definition: scale = max|x| / 127, q = round(x / scale).
final class QuantTests: XCTestCase {
    func testActivationQuantizationMatchesTheDefinitionAtEveryLevel() {
        var rng = SplitMix64(state: 1)
        var x = rng.floats(32 * 9, 4)
        x[40] = 0  // a zero inside a block
        for i in 64 ..< 96 { x[i] = 0 }  // an all-zero block: scale 0, q 0
        forEachISA { isa in
            let a = Activation(x)
            for b in 0 ..< x.count / 32 {
                let block = x[b * 32 ..< (b + 1) * 32]
                let amax = block.map { abs($0) }.max()!
                let d = amax / 127
                XCTAssertEqual(a.scales[b], d, "\(isaName(isa)) block \(b)")
                let id: Float = d != 0 ? 1 / d : 0
                var sum: Int32 = 0
                for i in block.indices {
                    let q = Int8((x[i] * id).rounded(.toNearestOrEven))
                    XCTAssertEqual(a.qs[i], q, "\(isaName(isa)) value \(i)")
                    sum += Int32(q)
                }
                XCTAssertEqual(a.corr[b], -128 * sum, "\(isaName(isa)) block \(b)")
            }
        }
    }

    /// Half a quantization step of the (float16) scale.
    func testPackedRowsReadBackWithinHalfAStep() {
        var rng = SplitMix64(state: 2)
        let rows = 37, cols = 96  // a partial last tile
        let w = rng.floats(rows * cols, 2)
        forEachISA { isa in
            let m = PackedMatrix(rows: rows, cols: cols, floats: w)
            for r in [0, 15, 16, 36] {
                let back = m.row(r)
                for b in 0 ..< cols / 32 {
                    let block = w[r * cols + b * 32 ..< r * cols + (b + 1) * 32]
                    let step = Float(Float16(block.map { abs($0) }.max()! / 127))
                    for k in 0 ..< 32 {
                        XCTAssertEqual(back[b * 32 + k], w[r * cols + b * 32 + k], accuracy: step / 2 * 1.0001,
                                       "\(isaName(isa)) row \(r)")
                    }
                }
            }
        }
    }

    func testQ8_0BlocksAreCopiedExactly() {
        // Two rows of two blocks: f16 scale then 32 int8, as GGUF stores them.
        let scales: [UInt16] = [0x3C00, 0x3800, 0x2E66, 0xB400]  // 1, 0.5, 0.1, -0.25
        var bytes: [UInt8] = []
        var expected: [Float] = []
        for (i, h) in scales.enumerated() {
            bytes += [UInt8(h & 0xFF), UInt8(h >> 8)]
            let d = Float(Float16(bitPattern: h))
            for k in 0 ..< 32 {
                let q = Int8(truncatingIfNeeded: (k * 7 + i * 13) % 255 - 127)
                bytes.append(UInt8(bitPattern: q))
                expected.append(Float(q) * d)
            }
        }
        let m = PackedMatrix(rows: 2, cols: 64)
        bytes.withUnsafeBytes { oct_q8_pack_q8_0(&m.kernel, 0, 2, $0.baseAddress) }
        oct_q8_pack_padding(&m.kernel)
        XCTAssertEqual(m.row(0) + m.row(1), expected)
    }
}
