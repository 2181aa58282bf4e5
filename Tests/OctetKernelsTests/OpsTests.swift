import XCTest
import OctetKernels
import Foundation

/// The float ops against double-precision formulas; tolerances are a few float ulps of the
/// values (the vector exp is within 2e-7 relative).
final class OpsTests: XCTestCase {
    func testRMSNorm() {
        var rng = SplitMix64(state: 6)
        let x = rng.floats(576, 3), w = rng.floats(576)
        var out = [Float](repeating: 0, count: 576)
        oct_rmsnorm(&out, x, w, 576, 1e-5)
        let ms = x.reduce(0.0) { $0 + Double($1) * Double($1) } / 576
        for i in 0 ..< 576 {
            XCTAssertEqual(out[i], Float(Double(x[i]) / (ms + 1e-5).squareRoot() * Double(w[i])), accuracy: 1e-5)
        }
    }

    func testSoftmaxAtEveryLevel() {
        var rng = SplitMix64(state: 7)
        for n in [1, 7, 16, 100, 1000] {
            let x = rng.floats(n, 30)
            let m = Double(x.max()!)
            let e = x.map { exp(Double($0) - m) }, sum = e.reduce(0, +)
            forEachISA { isa in
                var y = x
                oct_softmax(&y, Int32(n))
                for i in 0 ..< n { XCTAssertEqual(Double(y[i]), e[i] / sum, accuracy: 1e-6 * max(1e-3, e[i] / sum), "\(isaName(isa)) n=\(n)") }
            }
        }
    }

    func testSwiGLUAtEveryLevel() {
        var rng = SplitMix64(state: 8)
        var gate = rng.floats(1537, 12)
        gate[0] = -100
        gate[1] = 100
        let up = rng.floats(1537, 2)
        forEachISA { isa in
            var out = [Float](repeating: 0, count: 1537)
            oct_swiglu(&out, gate, up, 1537)
            for i in 0 ..< 1537 {
                let g = Double(gate[i]), want = g / (1 + exp(-g)) * Double(up[i])
                XCTAssertEqual(Double(out[i]), want, accuracy: 1e-6 * abs(want) + 1e-30, "\(isaName(isa)) \(i)")
            }
        }
    }

    func testRoPERotatesAdjacentPairs() {
        var rng = SplitMix64(state: 9)
        let heads = 3, headDim = 8, rotDim = 6
        let x = rng.floats(heads * headDim)
        let freqs = (0 ..< rotDim / 2).map { pow(100_000.0, -2.0 * Double($0) / Double(rotDim)) }
        var cs = [Float](repeating: 0, count: rotDim)
        oct_rope_angles(&cs, freqs, Int32(rotDim / 2), 77)
        var y = x
        oct_rope(&y, Int32(heads), Int32(headDim), Int32(rotDim), cs)
        for h in 0 ..< heads {
            for i in 0 ..< headDim / 2 {
                let a = Double(x[h * headDim + 2 * i]), b = Double(x[h * headDim + 2 * i + 1])
                let angle = 2 * i < rotDim ? 77 * freqs[i] : 0
                XCTAssertEqual(Double(y[h * headDim + 2 * i]), a * cos(angle) - b * sin(angle), accuracy: 1e-6)
                XCTAssertEqual(Double(y[h * headDim + 2 * i + 1]), a * sin(angle) + b * cos(angle), accuracy: 1e-6)
            }
        }
    }

    func testHalfConversionsAtEveryLevel() {
        let halves = (0 ... UInt16.max).filter { !Float16(bitPattern: $0).isNaN }
        var rng = SplitMix64(state: 10)
        let floats = rng.floats(1000, 70_000) + [1e-8, -3e-6, 65504, 65520, 1e-7, 5.96e-8]
        forEachISA { isa in
            var f = [Float](repeating: 0, count: halves.count)
            oct_f16_to_f32(halves, &f, halves.count)
            XCTAssertEqual(f, halves.map { Float(Float16(bitPattern: $0)) }, isaName(isa))
            var back = [UInt16](repeating: 0, count: halves.count)
            oct_f32_to_f16(f, &back, f.count)
            XCTAssertEqual(back, halves, isaName(isa))
            var h = [UInt16](repeating: 0, count: floats.count)
            oct_f32_to_f16(floats, &h, floats.count)
            XCTAssertEqual(h, floats.map { Float16($0).bitPattern }, isaName(isa))
        }
    }
}
