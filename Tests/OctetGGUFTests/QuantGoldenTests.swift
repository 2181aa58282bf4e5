import XCTest
@testable import OctetGGUF

/// Every dequantizer against gguf-py's (QuantGoldenVectors.swift), plus hand-made K-quant
/// blocks whose values are computed by hand from the ggml-common.h layouts.
final class QuantGoldenTests: XCTestCase {
    static func bytes(fromHex text: String) -> [UInt8] {
        let digits = text.filter(\.isHexDigit)
        return DequantizeTests.hex(String(digits))
    }

    func testAgainstGGUFPy() throws {
        XCTAssertEqual(Set(QuantGoldenVectors.all.map(\.type)).count, 10)
        for vector in QuantGoldenVectors.all {
            let block = Self.bytes(fromHex: vector.blockHex)
            let expected = Self.bytes(fromHex: vector.floatHex).withUnsafeBytes {
                Array($0.bindMemory(to: UInt32.self)).map { Float(bitPattern: UInt32(littleEndian: $0)) }
            }
            XCTAssertEqual(expected.count, vector.count)
            let got = try DequantizeTests.dequantize(vector.type, block, count: vector.count)
            for i in 0 ..< vector.count where got[i].bitPattern != expected[i].bitPattern {
                XCTFail("\(vector.type)[\(i)]: \(got[i]) != \(expected[i])")
                break
            }
        }
    }

    /// Q8_K: f32 d = 0.5, q = -128 ..< 128, then 32 bytes of bsums (ignored).
    func testQ8_K() throws {
        let block = DequantizeTests.le32(Float(0.5).bitPattern)
            + (-128 ..< 128).map { UInt8(bitPattern: Int8($0)) } + [UInt8](repeating: 9, count: 32)
        let x = try DequantizeTests.dequantize(.q8_K, block, count: 256)
        XCTAssertEqual(x, (-128 ..< 128).map { Float($0) * 0.5 })
    }

    /// Q4_K: d = 1, dmin = 0.5, scales j < 4 = j + 1 and mins = 2 (j >= 4: scale 1, min 0 via
    /// zero bytes), every nibble byte 0x53 (lo 3, hi 5).
    func testQ4_KHandMade() throws {
        var scales = [UInt8](repeating: 0, count: 12)
        for j in 0 ..< 4 { scales[j] = UInt8(j + 1); scales[j + 4] = 2 }
        scales[8] = 0x01  // j = 4: scale low 4 bits 1, min 0
        let block = DequantizeTests.le16(0x3C00) + DequantizeTests.le16(0x3800) + scales
            + [UInt8](repeating: 0x53, count: 128)
        let x = try DequantizeTests.dequantize(.q4_K, block, count: 256)
        // Group g of 32: g even uses the low nibble (3), odd the high one (5); x = sc*q - 0.5*m.
        XCTAssertEqual(x[0], 1 * 3 - 1)  // scale 1, min 2
        XCTAssertEqual(x[32], 2 * 5 - 1)  // scale 2, min 2
        XCTAssertEqual(x[64], 3 * 3 - 1)
        XCTAssertEqual(x[127], 4 * 5 - 1)
        XCTAssertEqual(x[128], 1 * 3)  // j = 4: scale 1, min 0
        XCTAssertEqual(x[160], 0)  // j = 5: scale 0
    }

    /// Q6_K: d = 0.5, scales[16] = 1...16, ql all 0x21, qh all 0b11_10_01_00.
    func testQ6_KHandMade() throws {
        let block = [UInt8](repeating: 0x21, count: 128) + [UInt8](repeating: 0b1110_0100, count: 64)
            + (1 ... 16).map { UInt8($0) } + DequantizeTests.le16(0x3800)
        let x = try DequantizeTests.dequantize(.q6_K, block, count: 256)
        // q1 = 1 | 0<<4 = 1, q2 = 1 | 1<<4 = 17, q3 = 2 | 2<<4 = 34, q4 = 2 | 3<<4 = 50; minus 32.
        XCTAssertEqual(x[0], 0.5 * 1 * -31)
        XCTAssertEqual(x[16], 0.5 * 2 * -31)  // second group of 16 uses scale index 1
        XCTAssertEqual(x[32], 0.5 * 3 * -15)
        XCTAssertEqual(x[64], 0.5 * 5 * 2)
        XCTAssertEqual(x[96], 0.5 * 7 * 18)
        XCTAssertEqual(x[128], 0.5 * 9 * -31)  // second half: scales from index 8
        XCTAssertEqual(x[255], 0.5 * 16 * 18)
    }

    /// Q2_K: scales[0] = 0x21 (scale 1, min 2), scales[1] = 0x03, others 0x11; every qs byte
    /// 0xE4 (2-bit fields 0, 1, 2, 3 at shifts 0, 2, 4, 6); d = 1, dmin = 0.5.
    func testQ2_KHandMade() throws {
        let scales = [0x21, 0x03] + [UInt8](repeating: 0x11, count: 14)
        let block = scales + [UInt8](repeating: 0xE4, count: 64)
            + DequantizeTests.le16(0x3C00) + DequantizeTests.le16(0x3800)
        let x = try DequantizeTests.dequantize(.q2_K, block, count: 256)
        XCTAssertEqual(x[0], 1 * 0 - 0.5 * 2)  // group 0, shift 0
        XCTAssertEqual(x[16], 3 * 0 - 0)  // group 1 (q[16...]), shift 0
        XCTAssertEqual(x[32], 1 * 1 - 0.5)  // group 2, shift 2
        XCTAssertEqual(x[96], 1 * 3 - 0.5)  // group 6, shift 6
        XCTAssertEqual(x[255], 1 * 3 - 0.5)
    }

    /// Q3_K: scale 0 = 37 (low 5, high 2), scale 9 = 39, all others 32 (value 0 after -32);
    /// every qs byte 0xE5 (fields 1, 1, 2, 3); hmask bit 0 only (the first 32 elements keep
    /// their high bit, all others subtract 4); d = 0.5.
    func testQ3_KHandMade() throws {
        let scales: [UInt8] = [0x05, 0x70, 0, 0, 0, 0, 0, 0, 0xAA, 0xAA, 0xAA, 0xAA]
        let block = [UInt8](repeating: 0x01, count: 32) + [UInt8](repeating: 0xE5, count: 64)
            + scales + DequantizeTests.le16(0x3800)
        let x = try DequantizeTests.dequantize(.q3_K, block, count: 256)
        XCTAssertEqual(x[0], 0.5 * 5 * 1)  // scale 5, q 1, high bit set: no -4
        XCTAssertEqual(x[16], 0)  // scale index 1 = 32 - 32
        XCTAssertEqual(x[128], 0)  // scale index 8
        XCTAssertEqual(x[144], 0.5 * 7 * (1 - 4))  // scale index 9, high bit clear
    }

    /// Q5_K: Q4_K's scales, qh all 0x01 (fifth bit only for the first group), ql all 0x53.
    func testQ5_KHandMade() throws {
        var scales = [UInt8](repeating: 0, count: 12)
        for j in 0 ..< 4 { scales[j] = UInt8(j + 1); scales[j + 4] = 2 }
        let block = DequantizeTests.le16(0x3C00) + DequantizeTests.le16(0x3800) + scales
            + [UInt8](repeating: 0x01, count: 32) + [UInt8](repeating: 0x53, count: 128)
        let x = try DequantizeTests.dequantize(.q5_K, block, count: 256)
        XCTAssertEqual(x[0], 1 * (3 + 16) - 1)
        XCTAssertEqual(x[32], 2 * 5 - 1)
        XCTAssertEqual(x[64], 3 * 3 - 1)
        XCTAssertEqual(x[96], 4 * 5 - 1)
    }
}
