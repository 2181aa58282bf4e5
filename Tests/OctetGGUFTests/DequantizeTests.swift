import XCTest
@testable import OctetGGUF

/// Dequantizers of the 32-element block types and the plain types, on hand-made blocks with
/// hand-computed values and on real blocks of the default model (Tests/OctetInferenceTests/
/// Resources/debug_trace.json, copied here).
final class DequantizeTests: XCTestCase {
    /// Dequantizes `bytes` holding `count` elements of `type`.
    static func dequantize(_ type: GGMLType, _ bytes: [UInt8], count: Int) throws -> [Float] {
        XCTAssertEqual(bytes.count, count / type.blockSize * type.blockBytes, "test block size")
        var out = [Float](repeating: .nan, count: count)
        try bytes.withUnsafeBytes { src in
            try out.withUnsafeMutableBufferPointer { dst in
                try Dequantize.toFloat(type, from: src.baseAddress!, count: count, into: dst.baseAddress!)
            }
        }
        return out
    }

    static func hex(_ string: String) -> [UInt8] {
        var bytes = [UInt8]()
        var index = string.startIndex
        while index < string.endIndex {
            let next = string.index(index, offsetBy: 2)
            bytes.append(UInt8(string[index ..< next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0 ..< 4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

    // MARK: - Half precision

    func testHalfToFloatMatchesFloat16ForAllBitPatterns() {
        for bits in 0 ... UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let got = Dequantize.halfToFloat(bits)
            if expected.isNaN {
                XCTAssertTrue(got.isNaN, "0x\(String(bits, radix: 16))")
                XCTAssertEqual(got.sign, expected.sign)
            } else {
                XCTAssertEqual(got.bitPattern, expected.bitPattern, "0x\(String(bits, radix: 16))")
            }
        }
    }

    func testHalfSpecialValues() {
        XCTAssertEqual(Dequantize.halfToFloat(0x3C00), 1)
        XCTAssertEqual(Dequantize.halfToFloat(0xC000), -2)
        XCTAssertEqual(Dequantize.halfToFloat(0x7BFF), 65504)
        XCTAssertEqual(Dequantize.halfToFloat(0x0001), 0x1p-24)  // smallest subnormal
        XCTAssertEqual(Dequantize.halfToFloat(0x03FF), 1023 * 0x1p-24)  // largest subnormal
        XCTAssertEqual(Dequantize.halfToFloat(0x8001), -0x1p-24)
        XCTAssertEqual(Dequantize.halfToFloat(0x0400), 0x1p-14)  // smallest normal
        XCTAssertEqual(Dequantize.halfToFloat(0x7C00), .infinity)
        XCTAssertEqual(Dequantize.halfToFloat(0xFC00), -.infinity)
        XCTAssertTrue(Dequantize.halfToFloat(0x7E00).isNaN)
        XCTAssertEqual(Dequantize.halfToFloat(0x8000).bitPattern, (-Float(0)).bitPattern)
    }

    func testF32F16BF16() throws {
        let f32 = [Float(1.5), -2, .infinity].withUnsafeBytes { [UInt8]($0) }
        XCTAssertEqual(try Self.dequantize(.f32, f32, count: 3), [1.5, -2, .infinity])
        let f16 = [0x3C00, 0xC000, 0x0001, 0x7C00].flatMap { Self.le16($0) }
        XCTAssertEqual(try Self.dequantize(.f16, f16, count: 4), [1, -2, 0x1p-24, .infinity])
        let bf16 = [0x3F80, 0xC040, 0x0001, 0xFF80].flatMap { Self.le16($0) }
        XCTAssertEqual(try Self.dequantize(.bf16, bf16, count: 4),
                       [1, -3, Float(bitPattern: 0x0001_0000), -.infinity])
    }

    // MARK: - Blocks of 32

    /// Q4_0, d = 0.5, byte j = (15 - j) << 4 | j: x[j] = (j - 8)/2, x[j+16] = (7 - j)/2.
    func testQ4_0() throws {
        let block = Self.le16(0x3800) + (0 ..< 16).map { UInt8((15 - $0) << 4 | $0) }
        let x = try Self.dequantize(.q4_0, block, count: 32)
        XCTAssertEqual(Array(x[0 ..< 4]), [-4, -3.5, -3, -2.5])
        XCTAssertEqual(x[15], 3.5)
        XCTAssertEqual(Array(x[16 ..< 18]), [3.5, 3])
        XCTAssertEqual(x[31], -4)
    }

    /// Q4_1, d = 0.25, m = -1, byte j = 0xF0 | (j % 16): x[j] = j/4 - 1, x[j+16] = 15/4 - 1.
    func testQ4_1HandMade() throws {
        let block = Self.le16(0x3400) + Self.le16(0xBC00) + (0 ..< 16).map { UInt8(0xF0 | $0) }
        let x = try Self.dequantize(.q4_1, block, count: 32)
        XCTAssertEqual(Array(x[0 ..< 3]), [-1, -0.75, -0.5])
        XCTAssertEqual(x[15], 2.75)
        XCTAssertEqual(Array(x[16 ..< 32]), [Float](repeating: 2.75, count: 16))
    }

    /// The first Q4_1 block of blk.0.attn_q.weight in the default model.
    func testQ4_1DefaultModelBlock() throws {
        let block = Self.hex("0f30d8b9458765406f65164b677664502267655a")
        XCTAssertEqual(Dequantize.halfToFloat(0x300f), 0.1268310546875)  // d
        XCTAssertEqual(Dequantize.halfToFloat(0xb9d8), -0.73046875)  // m
        let expected: [Float] = [
            -0.0963134765625, 0.1573486328125, -0.0963134765625, -0.73046875, 1.1719970703125,
            -0.0963134765625, 0.030517578125, 0.6646728515625, 0.1573486328125, 0.030517578125,
            -0.22314453125, -0.73046875, -0.476806640625, 0.1573486328125, -0.0963134765625,
            0.537841796875, -0.22314453125, 0.2841796875, 0.030517578125, -0.22314453125,
            0.030517578125, 0.030517578125, -0.6036376953125, -0.22314453125, 0.030517578125,
            0.1573486328125, 0.030517578125, -0.0963134765625, -0.476806640625, 0.030517578125,
            0.030517578125, -0.0963134765625,
        ]
        XCTAssertEqual(try Self.dequantize(.q4_1, block, count: 32), expected)
    }

    /// Q5_0, d = 0.5, every byte 0x21 (lo 1, hi 2), qh bits 0, 15, 16: (q - 16)/2.
    func testQ5_0() throws {
        let block = Self.le16(0x3800) + Self.le32(0x0001_8001) + [UInt8](repeating: 0x21, count: 16)
        let x = try Self.dequantize(.q5_0, block, count: 32)
        var expected = [Float](repeating: -7.5, count: 16) + [Float](repeating: -7, count: 16)
        expected[0] = 0.5; expected[15] = 0.5; expected[16] = 1
        XCTAssertEqual(x, expected)
    }

    /// Q5_1, d = 0.5, m = -1, every byte 0x21, qh bits 1 and 31: q/2 - 1.
    func testQ5_1() throws {
        let block = Self.le16(0x3800) + Self.le16(0xBC00) + Self.le32(0x8000_0002)
            + [UInt8](repeating: 0x21, count: 16)
        let x = try Self.dequantize(.q5_1, block, count: 32)
        var expected = [Float](repeating: -0.5, count: 16) + [Float](repeating: 0, count: 16)
        expected[1] = 7.5; expected[31] = 8
        XCTAssertEqual(x, expected)
    }

    /// Q8_0, d = -0.5, q = -16 ..< 16.
    func testQ8_0HandMade() throws {
        let block = Self.le16(0xB800) + (-16 ..< 16).map { UInt8(bitPattern: Int8($0)) }
        let x = try Self.dequantize(.q8_0, block, count: 32)
        XCTAssertEqual(x, (-16 ..< 16).map { Float($0) * -0.5 })
    }

    /// The first Q8_0 block of token_embd.weight row 504 ('The') in the default model.
    func testQ8_0DefaultModelBlock() throws {
        let block = Self.hex("1a192c07da2125f5161df7003bec34fcd5ff034a0504befffff8e0ec17f834de0c81")
        let x = try Self.dequantize(.q8_0, block, count: 32)
        XCTAssertEqual(Dequantize.halfToFloat(0x191a), 0.002490997314453125)
        let expected: [Float] = [
            0.1096038818359375, 0.017436981201171875, -0.09465789794921875, 0.08220291137695312,
            0.09216690063476562, -0.027400970458984375, 0.05480194091796875, 0.07223892211914062,
        ]
        XCTAssertEqual(Array(x[0 ..< 8]), expected)
    }

    func testSeveralBlocksAreIndependent() throws {
        let b1 = Self.le16(0x3C00) + [UInt8](repeating: 0x11, count: 32)
        let b2 = Self.le16(0x4000) + [UInt8](repeating: 0xFF, count: 32)
        let x = try Self.dequantize(.q8_0, b1 + b2, count: 64)
        XCTAssertEqual(x, [Float](repeating: 17, count: 32) + [Float](repeating: -2, count: 32))
    }

    // MARK: - Errors

    func testUnsupportedTypeAndBadCount() throws {
        var out = [Float](repeating: 0, count: 256)
        let src = [UInt8](repeating: 0, count: 512)
        try src.withUnsafeBytes { s in
            try out.withUnsafeMutableBufferPointer { d in
                XCTAssertThrowsError(try Dequantize.toFloat(.iq2_xxs, from: s.baseAddress!, count: 256, into: d.baseAddress!)) {
                    XCTAssertEqual($0 as? GGUFError, .unsupportedDequantization(file: "", type: .iq2_xxs))
                    XCTAssertEqual("\($0)", "cannot dequantize tensor type IQ2_XXS")
                }
                XCTAssertThrowsError(try Dequantize.toFloat(.q4_0, from: s.baseAddress!, count: 33, into: d.baseAddress!)) {
                    XCTAssertEqual($0 as? GGUFError, .countNotBlockMultiple(file: "", type: .q4_0, count: 33))
                }
            }
        }
        XCTAssertFalse(Dequantize.isSupported(.iq4_xs))
        XCTAssertTrue(Dequantize.isSupported(.q6_K))
    }

    func testFileDequantizeNamesTheFile() throws {
        var writer = GGUFWriter()
        writer.addTensor(name: "w", dimensions: [256], type: .iq2_xxs, data: [UInt8](repeating: 0, count: 66))
        let file = try GGUFFile(bytes: writer.bytes(), name: "iq.gguf")
        XCTAssertThrowsError(try file.dequantize(file.tensors[0])) {
            XCTAssertEqual("\($0)", "iq.gguf: cannot dequantize tensor type IQ2_XXS")
        }
    }
}
