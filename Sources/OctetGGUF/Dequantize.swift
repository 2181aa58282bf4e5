// MARK: - Dequantization to float
//
// Ports of ggml's reference dequantizers (llama.cpp ggml/src/ggml-quants.c `dequantize_row_*`,
// block layouts from ggml/src/ggml-common.h `block_*`). Blocks are read through raw pointers
// with unaligned loads: GGUF only aligns the start of each tensor, and blocks of 18/20/34 bytes
// leave their f16 scales at odd addresses.

/// Converts tensor data of a ggml type to 32-bit floats.
public enum Dequantize {
    /// True when `type` has a dequantizer.
    public static func isSupported(_ type: GGMLType) -> Bool {
        switch type {
        case .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0,
             .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K:
            return true
        default:
            return false
        }
    }

    /// Dequantizes `count` elements (a multiple of `type.blockSize`) of `type` at `source`
    /// into `destination`.
    /// - Throws: `GGUFError.unsupportedDequantization` or `.countNotBlockMultiple` (with an
    ///   empty file name; `GGUFFile.dequantize(_:)` names the file).
    public static func toFloat(
        _ type: GGMLType, from source: UnsafeRawPointer, count: Int,
        into destination: UnsafeMutablePointer<Float>
    ) throws {
        guard isSupported(type) else { throw GGUFError.unsupportedDequantization(file: "", type: type) }
        guard count >= 0, count % type.blockSize == 0 else {
            throw GGUFError.countNotBlockMultiple(file: "", type: type, count: count)
        }
        let blocks = count / type.blockSize
        switch type {
        case .f32: destination.update(from: source.assumingMemoryBound(to: Float.self), count: count)
        case .f16: f16(source, destination, count)
        case .bf16: bf16(source, destination, count)
        case .q4_0: q4_0(source, destination, blocks)
        case .q4_1: q4_1(source, destination, blocks)
        case .q5_0: q5_0(source, destination, blocks)
        case .q5_1: q5_1(source, destination, blocks)
        case .q8_0: q8_0(source, destination, blocks)
        case .q2_K: q2_K(source, destination, blocks)
        case .q3_K: q3_K(source, destination, blocks)
        case .q4_K: q4_K(source, destination, blocks)
        case .q5_K: q5_K(source, destination, blocks)
        case .q6_K: q6_K(source, destination, blocks)
        case .q8_K: q8_K(source, destination, blocks)
        default: throw GGUFError.unsupportedDequantization(file: "", type: type)
        }
    }

    // MARK: - Scalar conversions

    /// IEEE half to float, exact for zeros, subnormals, infinities and NaNs. Port of
    /// ggml-impl.h `ggml_compute_fp16_to_fp32` (the branch-free method of FP16 by Marat
    /// Dukhan): normal values are rebiased by a multiply, subnormals built with a magic bias.
    @inline(__always)
    public static func halfToFloat(_ h: UInt16) -> Float {
        let w = UInt32(h) << 16
        let sign = w & 0x8000_0000
        let twoW = w &+ w
        let expOffset: UInt32 = 0xE0 << 23
        let normalized = Float(bitPattern: (twoW >> 4) &+ expOffset) * 0x1.0p-112
        let denormalized = Float(bitPattern: (twoW >> 17) | (126 << 23)) - 0.5
        let bits = twoW < (1 << 27) ? denormalized.bitPattern : normalized.bitPattern
        return Float(bitPattern: sign | bits)
    }

    /// bfloat16 to float: the upper 16 bits of a float (ggml-impl.h `ggml_compute_bf16_to_fp32`).
    @inline(__always)
    public static func bfloat16ToFloat(_ h: UInt16) -> Float {
        Float(bitPattern: UInt32(h) << 16)
    }

    /// Reads an unaligned little-endian f16 at `offset`.
    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        halfToFloat(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    // MARK: - Plain types

    static func f16(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0 ..< count { dst[i] = half(src, 2 * i) }
    }

    static func bf16(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ count: Int) {
        for i in 0 ..< count {
            dst[i] = bfloat16ToFloat(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
    }

    // MARK: - Blocks of 32

    /// Q4_0 (18 bytes: f16 d, 16 bytes of nibbles): x[j] = (lo(q[j]) - 8) d, x[j+16] = (hi - 8) d.
    static func q4_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 18, y = dst + b * 32
            let d = half(block, 0)
            let qs = block + 2
            for j in 0 ..< 16 {
                let q = qs.load(fromByteOffset: j, as: UInt8.self)
                y[j] = Float(Int32(q & 0x0F) - 8) * d
                y[j + 16] = Float(Int32(q >> 4) - 8) * d
            }
        }
    }

    /// Q4_1 (20 bytes: f16 d, f16 m, 16 bytes of nibbles): x[j] = lo(q[j]) d + m,
    /// x[j+16] = hi(q[j]) d + m.
    static func q4_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 20, y = dst + b * 32
            let d = half(block, 0), m = half(block, 2)
            let qs = block + 4
            for j in 0 ..< 16 {
                let q = qs.load(fromByteOffset: j, as: UInt8.self)
                y[j] = Float(q & 0x0F) * d + m
                y[j + 16] = Float(q >> 4) * d + m
            }
        }
    }

    /// Q5_0 (22 bytes: f16 d, u32 qh = fifth bits, 16 bytes of nibbles): values - 16, times d.
    static func q5_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 22, y = dst + b * 32
            let d = half(block, 0)
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 2, as: UInt32.self))
            let qs = block + 6
            for j in 0 ..< 16 {
                let q = qs.load(fromByteOffset: j, as: UInt8.self)
                let h0 = ((qh >> UInt32(j)) << 4) & 0x10
                let h1 = (qh >> UInt32(j + 12)) & 0x10
                y[j] = Float(Int32(UInt32(q & 0x0F) | h0) - 16) * d
                y[j + 16] = Float(Int32(UInt32(q >> 4) | h1) - 16) * d
            }
        }
    }

    /// Q5_1 (24 bytes: f16 d, f16 m, u32 qh, 16 bytes of nibbles): x = q d + m.
    static func q5_1(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 24, y = dst + b * 32
            let d = half(block, 0), m = half(block, 2)
            let qh = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
            let qs = block + 8
            for j in 0 ..< 16 {
                let q = qs.load(fromByteOffset: j, as: UInt8.self)
                let h0 = ((qh >> UInt32(j)) << 4) & 0x10
                let h1 = (qh >> UInt32(j + 12)) & 0x10
                y[j] = Float(UInt32(q & 0x0F) | h0) * d + m
                y[j + 16] = Float(UInt32(q >> 4) | h1) * d + m
            }
        }
    }

    /// Q8_0 (34 bytes: f16 d, 32 int8): x[j] = q[j] d.
    static func q8_0(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ blocks: Int) {
        for b in 0 ..< blocks {
            let block = src + b * 34, y = dst + b * 32
            let d = half(block, 0)
            let qs = block + 2
            for j in 0 ..< 32 {
                y[j] = Float(qs.load(fromByteOffset: j, as: Int8.self)) * d
            }
        }
    }
}
