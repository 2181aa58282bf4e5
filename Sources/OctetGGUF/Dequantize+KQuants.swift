// MARK: - K-quants: super-blocks of 256
//
// Ports of llama.cpp ggml/src/ggml-quants.c `dequantize_row_q2_K` ... `dequantize_row_q8_K`;
// byte layouts from ggml/src/ggml-common.h (`block_q2_K` ... `block_q8_K`, QK_K = 256). The
// float operations keep ggml's order so results are bit-identical to the reference.

extension Dequantize {
    /// ggml-quants.c `get_scale_min_k4`: the j-th 6-bit scale and min of a Q4_K/Q5_K block
    /// (12 bytes: 8 scales and 8 mins, low 6 bits for j < 4, split 4+2 bits for j >= 4).
    @inline(__always)
    static func scaleMinK4(_ j: Int, _ q: UnsafeRawPointer) -> (scale: Float, min: Float) {
        @inline(__always) func byte(_ i: Int) -> UInt8 { q.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 {
            return (Float(byte(j) & 63), Float(byte(j + 4) & 63))
        }
        let scale = (byte(j + 4) & 0xF) | ((byte(j - 4) >> 6) << 4)
        let min = (byte(j + 4) >> 4) | ((byte(j) >> 6) << 4)
        return (Float(scale), Float(min))
    }

    /// Q2_K (84 bytes: scales[16] (4-bit scale | 4-bit min << 4), qs[64] (2-bit), f16 d,
    /// f16 dmin): x = d·sc·q - dmin·m per group of 16.
    static func q2_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 84
            var y = dst + b * 256
            let d = half(block, 80), dmin = half(block, 82)
            var q = block + 16
            var scaleIndex = 0
            for _ in 0 ..< 2 {  // two halves of 128
                for shift in stride(from: 0, to: 8, by: 2) {
                    for half in 0 ..< 2 {  // groups of 16 at q[0..<16] and q[16..<32]
                        let sc = block.load(fromByteOffset: scaleIndex, as: UInt8.self)
                        scaleIndex += 1
                        let dl = d * Float(sc & 0xF), ml = dmin * Float(sc >> 4)
                        for l in 0 ..< 16 {
                            let v = (q.load(fromByteOffset: 16 * half + l, as: UInt8.self) >> UInt8(shift)) & 3
                            y[l] = dl * Float(v) - ml
                        }
                        y += 16
                    }
                }
                q += 32
            }
        }
    }

    /// Q3_K (110 bytes: hmask[32] (high bit), qs[64] (low 2 bits), scales[12] (16 6-bit
    /// scales), f16 d): x = d·(sc - 32)·(q - (high bit ? 0 : 4)).
    static func q3_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 110
            var y = dst + b * 256
            let dAll = half(block, 108)
            let scales = unpackQ3Scales(block + 96)
            let hm = block
            var q = block + 32
            var mask: UInt8 = 1
            var scaleIndex = 0
            for _ in 0 ..< 2 {
                for shift in stride(from: 0, to: 8, by: 2) {
                    for half in 0 ..< 2 {
                        let dl = dAll * Float(Int32(scales[scaleIndex]) - 32)
                        scaleIndex += 1
                        for l in 0 ..< 16 {
                            let i = 16 * half + l
                            let low = Int32((q.load(fromByteOffset: i, as: UInt8.self) >> UInt8(shift)) & 3)
                            let high: Int32 = hm.load(fromByteOffset: i, as: UInt8.self) & mask != 0 ? 0 : 4
                            y[l] = dl * Float(low - high)
                        }
                        y += 16
                    }
                    mask <<= 1
                }
                q += 32
            }
        }
    }

    /// The 16 Q3_K scales (0..63, before subtracting 32), unpacked as ggml does with
    /// kmask1 = 0x03030303 and kmask2 = 0x0f0f0f0f on four little-endian words.
    @inline(__always)
    static func unpackQ3Scales(_ p: UnsafeRawPointer) -> [UInt8] {
        let kmask1: UInt32 = 0x0303_0303, kmask2: UInt32 = 0x0f0f_0f0f
        let a0 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        let a1 = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let tmp = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let words = [
            (a0 & kmask2) | (((tmp >> 0) & kmask1) << 4),
            (a1 & kmask2) | (((tmp >> 2) & kmask1) << 4),
            ((a0 >> 4) & kmask2) | (((tmp >> 4) & kmask1) << 4),
            ((a1 >> 4) & kmask2) | (((tmp >> 6) & kmask1) << 4),
        ]
        var out = [UInt8](repeating: 0, count: 16)
        for (w, word) in words.enumerated() {
            for k in 0 ..< 4 { out[4 * w + k] = UInt8(truncatingIfNeeded: word >> UInt32(8 * k)) }
        }
        return out
    }

    /// Q4_K (144 bytes: f16 d, f16 dmin, scales[12], qs[128]): 8 groups of 32 with 6-bit
    /// scale and min: x = d·sc·q - dmin·m.
    static func q4_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 144
            var y = dst + b * 256
            let d = half(block, 0), dmin = half(block, 2)
            let scales = block + 4
            var q = block + 16
            for pair in 0 ..< 4 {
                let (sc1, m1) = scaleMinK4(2 * pair, scales)
                let (sc2, m2) = scaleMinK4(2 * pair + 1, scales)
                let d1 = d * sc1, min1 = dmin * m1
                let d2 = d * sc2, min2 = dmin * m2
                for l in 0 ..< 32 {
                    let v = q.load(fromByteOffset: l, as: UInt8.self)
                    y[l] = d1 * Float(v & 0xF) - min1
                    y[l + 32] = d2 * Float(v >> 4) - min2
                }
                y += 64
                q += 32
            }
        }
    }

    /// Q5_K (176 bytes: f16 d, f16 dmin, scales[12], qh[32], qs[128]): as Q4_K with a fifth
    /// bit from qh.
    static func q5_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 176
            var y = dst + b * 256
            let d = half(block, 0), dmin = half(block, 2)
            let scales = block + 4, qh = block + 16
            var ql = block + 48
            var u1: UInt8 = 1, u2: UInt8 = 2
            for pair in 0 ..< 4 {
                let (sc1, m1) = scaleMinK4(2 * pair, scales)
                let (sc2, m2) = scaleMinK4(2 * pair + 1, scales)
                let d1 = d * sc1, min1 = dmin * m1
                let d2 = d * sc2, min2 = dmin * m2
                for l in 0 ..< 32 {
                    let v = ql.load(fromByteOffset: l, as: UInt8.self)
                    let h = qh.load(fromByteOffset: l, as: UInt8.self)
                    y[l] = d1 * Float((v & 0xF) + (h & u1 != 0 ? 16 : 0)) - min1
                    y[l + 32] = d2 * Float((v >> 4) + (h & u2 != 0 ? 16 : 0)) - min2
                }
                y += 64
                ql += 32
                u1 <<= 2
                u2 <<= 2
            }
        }
    }

    /// Q6_K (210 bytes: ql[128] (low 4 bits), qh[64] (high 2 bits), int8 scales[16], f16 d):
    /// x = d·sc·(q - 32) per group of 16.
    static func q6_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 210
            var y = dst + b * 256
            let d = half(block, 208)
            var ql = block, qh = block + 128, sc = block + 192
            for _ in 0 ..< 2 {
                for l in 0 ..< 32 {
                    let s = l / 16
                    let lo0 = ql.load(fromByteOffset: l, as: UInt8.self)
                    let lo1 = ql.load(fromByteOffset: l + 32, as: UInt8.self)
                    let h = qh.load(fromByteOffset: l, as: UInt8.self)
                    let q1 = Int32((lo0 & 0xF) | (((h >> 0) & 3) << 4)) - 32
                    let q2 = Int32((lo1 & 0xF) | (((h >> 2) & 3) << 4)) - 32
                    let q3 = Int32((lo0 >> 4) | (((h >> 4) & 3) << 4)) - 32
                    let q4 = Int32((lo1 >> 4) | (((h >> 6) & 3) << 4)) - 32
                    y[l] = d * Float(sc.load(fromByteOffset: s, as: Int8.self)) * Float(q1)
                    y[l + 32] = d * Float(sc.load(fromByteOffset: s + 2, as: Int8.self)) * Float(q2)
                    y[l + 64] = d * Float(sc.load(fromByteOffset: s + 4, as: Int8.self)) * Float(q3)
                    y[l + 96] = d * Float(sc.load(fromByteOffset: s + 6, as: Int8.self)) * Float(q4)
                }
                y += 128
                ql += 64
                qh += 32
                sc += 8
            }
        }
    }

    /// Q8_K (292 bytes: float32 d, int8 qs[256], int16 bsums[16]): x = d·q.
    static func q8_K(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 292
            let y = dst + b * 256
            let d = Float(bitPattern: UInt32(littleEndian: block.loadUnaligned(as: UInt32.self)))
            for j in 0 ..< 256 {
                y[j] = d * Float(block.load(fromByteOffset: 4 + j, as: Int8.self))
            }
        }
    }
}
