import XCTest
import OctetKernels

/// The INT8 products against float sums of the dequantized operands. The integer dot
/// products are exact, so the only differences are float rounding: tolerance 1e-5 of the
/// sum of |terms| per output.
final class ProductTests: XCTestCase {
    /// out[t][r] = sum_k w[r][k] * x[t][k] in double over the dequantized values, and the
    /// sum of |terms| (the scale of the rounding error).
    func reference(_ m: PackedMatrix, _ x: [Float], tokens n: Int) -> (value: [Float], bound: [Float]) {
        let xs = Activation(x).dequantized
        var value = [Float](repeating: 0, count: n * m.rows), bound = value
        for r in 0 ..< m.rows {
            let w = m.row(r)
            for t in 0 ..< n {
                var s = 0.0, a = 0.0
                for k in 0 ..< m.cols {
                    let p = Double(w[k]) * Double(xs[t * m.cols + k])
                    s += p
                    a += abs(p)
                }
                value[t * m.rows + r] = Float(s)
                bound[t * m.rows + r] = Float(a)
            }
        }
        return (value, bound)
    }

    func check(_ out: [Float], _ ref: (value: [Float], bound: [Float]), _ what: String) {
        for i in out.indices {
            XCTAssertEqual(out[i], ref.value[i], accuracy: 1e-5 * ref.bound[i] + 1e-6, "\(what) output \(i)")
        }
    }

    func testMatrixVectorProductAtEveryLevel() {
        var rng = SplitMix64(state: 3)
        for (rows, cols) in [(16, 32), (50, 96), (192, 576), (33, 1536)] {
            let w = rng.floats(rows * cols, 1.5), x = rng.floats(cols, 3)
            let m = PackedMatrix(rows: rows, cols: cols, floats: w)
            let ref = reference(m, x, tokens: 1)
            forEachISA { isa in
                var out = [Float](repeating: .nan, count: rows)
                Activation(x).withKernel { oct_q8_matvec(&m.kernel, $0, &out, 0, m.tiles) }
                check(out, ref, "\(isaName(isa)) \(rows)x\(cols)")
            }
        }
    }

    func testMatrixMatrixProductAtEveryLevelAndBatchSize() {
        var rng = SplitMix64(state: 4)
        let rows = 40, cols = 160
        let m = PackedMatrix(rows: rows, cols: cols, floats: rng.floats(rows * cols))
        for n in [1, 2, 3, 5, 8, 13, 17] {
            let x = rng.floats(n * cols, 2)
            let ref = reference(m, x, tokens: n)
            forEachISA { isa in
                var out = [Float](repeating: .nan, count: n * rows)
                Activation(x).withKernel { oct_q8_gemm(&m.kernel, $0, Int32(n), &out, Int32(rows), 0, m.tiles) }
                check(out, ref, "\(isaName(isa)) n=\(n)")
            }
        }
    }

    func testPaddingRowsAreNeverWritten() {
        var rng = SplitMix64(state: 5)
        let m = PackedMatrix(rows: 20, cols: 64, floats: rng.floats(20 * 64))
        forEachISA { isa in
            var out = [Float](repeating: 7, count: 2 * 20 + 12)
            Activation(rng.floats(128)).withKernel {
                oct_q8_gemm(&m.kernel, $0, 2, &out, 20, 0, m.tiles)
            }
            XCTAssertEqual(Array(out[40...]), Array(repeating: 7, count: 12), isaName(isa))
        }
    }
}
