import XCTest
@testable import OctetGGUF

/// Malformed files: each kind must throw its own `GGUFError` case whose message starts with the
/// file name; truncation at every byte must throw and never crash (STYLE.md H3).
final class GGUFCorruptionTests: XCTestCase {
    // MARK: - A raw builder that can write anything, including nonsense

    struct RawTensor {
        var name: String
        var dims: [Int64]
        var typeID: UInt32 = GGMLType.f32.rawValue
        var offset: UInt64 = 0
        var dimensionCount: UInt32?
    }

    /// Builds a file field by field; `data` is appended after padding the table to `alignment`.
    static func raw(
        magic: UInt32 = 0x4655_4747, version: UInt32 = 3, tensorCount: UInt64? = nil,
        keyCount: UInt64? = nil, keys: [(String, GGUFValue)] = [], tensors: [RawTensor] = [],
        alignment: Int = 32, data: [UInt8] = []
    ) -> [UInt8] {
        var out = ByteSink()
        out.append(magic)
        out.append(version)
        out.append(tensorCount ?? UInt64(tensors.count))
        out.append(keyCount ?? UInt64(keys.count))
        for (key, value) in keys {
            out.append(string: key)
            out.append(value.type.rawValue)
            out.append(value: value)
        }
        for tensor in tensors {
            out.append(string: tensor.name)
            out.append(tensor.dimensionCount ?? UInt32(tensor.dims.count))
            tensor.dims.forEach { out.append($0) }
            out.append(tensor.typeID)
            out.append(tensor.offset)
        }
        out.pad(to: alignment)
        out.bytes += data
        return out.bytes
    }

    /// Asserts that `bytes` fail with an error matching `expected`, whose message names the file.
    func assertRejects(
        _ bytes: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line,
        _ expected: (GGUFError) -> Bool
    ) {
        XCTAssertThrowsError(try GGUFFile(bytes: bytes, name: name), file: file, line: line) { error in
            guard let error = error as? GGUFError else {
                return XCTFail("not a GGUFError: \(error)", file: file, line: line)
            }
            XCTAssertTrue(expected(error), "unexpected error: \(error)", file: file, line: line)
            XCTAssertEqual(error.file, name, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix("\(name): "), error.description, file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), file: file, line: line)
        }
    }

    static let f32x8 = [UInt8](repeating: 0, count: 32)

    // MARK: - Header

    func testNotGGUF() {
        var bytes = Self.raw()
        bytes[0] = UInt8(ascii: "X")
        assertRejects(bytes, "magic.gguf") { $0 == .notGGUF(file: "magic.gguf") }
        assertRejects(Array("GGML plus more bytes".utf8), "ggml.bin") { $0 == .notGGUF(file: "ggml.bin") }
    }

    func testUnsupportedVersions() {
        assertRejects(Self.raw(version: 1), "v1.gguf") {
            $0 == .unsupportedVersion(file: "v1.gguf", version: 1)
                && $0.description == "v1.gguf: GGUF version 1 is not supported (only versions 2 and 3)"
        }
        assertRejects(Self.raw(version: 4), "v4.gguf") { $0 == .unsupportedVersion(file: "v4.gguf", version: 4) }
        assertRejects(Self.raw(version: 3 << 24), "be.gguf") {
            $0.description.contains("byte-swapped")
        }
    }

    func testTruncatedHeader() {
        assertRejects(Array(Self.raw().prefix(10)), "short.gguf") {
            $0 == .truncated(file: "short.gguf", section: "header", offset: 8, needed: 8)
        }
        assertRejects([], "empty.gguf") { $0 == .truncated(file: "empty.gguf", section: "header", offset: 0, needed: 4) }
    }

    func testCountsLargerThanTheFile() {
        assertRejects(Self.raw(tensorCount: 1 << 40), "nt.gguf") {
            $0 == .countTooLarge(file: "nt.gguf", what: "tensor count", count: 1 << 40, offset: 8)
        }
        assertRejects(Self.raw(keyCount: .max), "nkv.gguf") {
            $0 == .countTooLarge(file: "nkv.gguf", what: "metadata key count", count: .max, offset: 16)
        }
    }

    // MARK: - Metadata

    func testStringLengthLargerThanTheFile() {
        var bytes = Self.raw(keys: [("general.name", .string("tiny"))])
        // The key length is the u64 at offset 24; make it huge.
        bytes.replaceSubrange(24 ..< 32, with: DequantizeTests.le32(0xFFFF_FF00) + [0, 0, 0, 0])
        assertRejects(bytes, "len.gguf") {
            guard case .countTooLarge(_, let what, 0xFFFF_FF00, 24) = $0 else { return false }
            return what == "length of metadata key #0"
        }
    }

    func testArrayLengthLargerThanTheFile() {
        var bytes = Self.raw(keys: [("a", .array(.int32([1, 2, 3])))])
        // key "a": length u64 at 24, 1 byte, u32 type at 33, u32 element type at 37, u64 count at 41.
        bytes.replaceSubrange(41 ..< 49, with: [0, 0, 0, 0, 0, 0, 0, 1])
        assertRejects(bytes, "arr.gguf") {
            guard case .countTooLarge(_, let what, 1 << 56, 41) = $0 else { return false }
            return what == "array length of 'a'"
        }
    }

    func testDuplicateKey() {
        var writer = GGUFWriter()
        writer.add("general.architecture", .string("llama"))
        writer.add("general.architecture", .string("qwen2"))
        assertRejects(writer.bytes(), "dup.gguf") {
            $0 == .duplicateKey(file: "dup.gguf", key: "general.architecture")
        }
    }

    func testInvalidUTF8() {
        let bytes = Self.raw(keys: [("k", .string("ab"))])
        var badValue = bytes
        badValue[45] = 0xFF  // header 24, key length 8, "k", type 4, value length 8: "ab" at 45
        assertRejects(badValue, "utf8.gguf") {
            $0 == .invalidUTF8(file: "utf8.gguf", what: "value of 'k'", offset: 37)
        }
        var badKey = bytes
        badKey[32] = 0xC3  // key "k" -> a lone lead byte
        assertRejects(badKey, "key.gguf") {
            $0 == .invalidUTF8(file: "key.gguf", what: "metadata key #0", offset: 24)
        }
    }

    func testUnknownValueType() {
        var bytes = Self.raw(keys: [("k", .uint32(7))])
        bytes[33] = 13  // the type u32 after key "k"
        assertRejects(bytes, "vt.gguf") { $0 == .unknownValueType(file: "vt.gguf", key: "k", typeID: 13) }
    }

    func testNestingTooDeep() {
        var value = GGUFArray.int8([1])
        for _ in 0 ..< GGUFParser.maximumNesting { value = .arrays([value]) }
        assertRejects(Self.raw(keys: [("deep", .array(value))]), "deep.gguf") {
            $0 == .nestingTooDeep(file: "deep.gguf", key: "deep")
        }
    }

    func testAlignment() {
        assertRejects(Self.raw(keys: [("general.alignment", .uint32(48))]), "al.gguf") {
            $0 == .invalidAlignment(file: "al.gguf", alignment: 48)
        }
        assertRejects(Self.raw(keys: [("general.alignment", .uint32(0))]), "al0.gguf") {
            $0 == .invalidAlignment(file: "al0.gguf", alignment: 0)
        }
        assertRejects(Self.raw(keys: [("general.alignment", .string("32"))]), "als.gguf") {
            $0 == .wrongType(file: "als.gguf", key: "general.alignment", expected: "uint32", found: "string")
        }
    }

    // MARK: - Tensor table

    func testDuplicateTensor() {
        var writer = GGUFWriter()
        writer.addTensor(name: "w", dimensions: [2], floats: [1, 2])
        writer.addTensor(name: "w", dimensions: [2], floats: [3, 4])
        assertRejects(writer.bytes(), "dupt.gguf") { $0 == .duplicateTensor(file: "dupt.gguf", tensor: "w") }
    }

    func testDimensionCount() {
        let zero = RawTensor(name: "w", dims: [], dimensionCount: 0)
        assertRejects(Self.raw(tensors: [zero]), "d0.gguf") {
            $0 == .invalidDimensionCount(file: "d0.gguf", tensor: "w", count: 0)
        }
        let five = RawTensor(name: "w", dims: [1, 1, 1, 1, 1])
        assertRejects(Self.raw(tensors: [five], data: Self.f32x8), "d5.gguf") {
            $0 == .invalidDimensionCount(file: "d5.gguf", tensor: "w", count: 5)
        }
    }

    func testNonPositiveDimension() {
        assertRejects(Self.raw(tensors: [RawTensor(name: "w", dims: [8, 0])], data: Self.f32x8), "z.gguf") {
            $0 == .invalidDimension(file: "z.gguf", tensor: "w", index: 1, value: 0)
        }
        assertRejects(Self.raw(tensors: [RawTensor(name: "w", dims: [-8])], data: Self.f32x8), "n.gguf") {
            $0 == .invalidDimension(file: "n.gguf", tensor: "w", index: 0, value: -8)
        }
    }

    func testElementCountOverflow() {
        let huge = RawTensor(name: "w", dims: [1 << 32, 1 << 32])
        assertRejects(Self.raw(tensors: [huge], data: Self.f32x8), "big.gguf") {
            $0 == .tensorTooLarge(file: "big.gguf", tensor: "w")
        }
        let bytesOverflow = RawTensor(name: "w", dims: [1 << 62, 1], typeID: GGMLType.f32.rawValue)
        assertRejects(Self.raw(tensors: [bytesOverflow], data: Self.f32x8), "big2.gguf") {
            $0 == .tensorTooLarge(file: "big2.gguf", tensor: "w")
        }
    }

    func testUnknownTensorType() {
        for typeID: UInt32 in [4, 99] {  // 4 = removed Q4_2
            let tensor = RawTensor(name: "w", dims: [32], typeID: typeID)
            assertRejects(Self.raw(tensors: [tensor], data: Self.f32x8), "ty.gguf") {
                $0 == .unknownTensorType(file: "ty.gguf", tensor: "w", typeID: typeID)
            }
        }
    }

    func testRowNotMultipleOfBlockSize() {
        let tensor = RawTensor(name: "w", dims: [33, 2], typeID: GGMLType.q4_0.rawValue)
        assertRejects(Self.raw(tensors: [tensor], data: Self.f32x8), "row.gguf") {
            $0 == .rowNotBlockMultiple(file: "row.gguf", tensor: "w", rowLength: 33, type: .q4_0)
        }
    }

    func testMisalignedTensorOffset() {
        let tensor = RawTensor(name: "w", dims: [4], offset: 4)
        assertRejects(Self.raw(tensors: [tensor], data: Self.f32x8), "mis.gguf") {
            $0 == .misalignedTensor(file: "mis.gguf", tensor: "w", offset: 4, alignment: 32)
        }
    }

    func testTensorOutsideFile() {
        let far = RawTensor(name: "w", dims: [8], offset: 1 << 40)
        assertRejects(Self.raw(tensors: [far], data: Self.f32x8), "far.gguf") {
            guard case .tensorOutsideFile(_, "w", 1 << 40, 32, _) = $0 else { return false }
            return $0.description.contains("not within the file bounds")
        }
        // Truncated tensor data: 16 floats declared, 8 present.
        let long = RawTensor(name: "w", dims: [16])
        assertRejects(Self.raw(tensors: [long], data: Self.f32x8), "short.gguf") {
            guard case .tensorOutsideFile(_, "w", 0, 64, _) = $0 else { return false }
            return true
        }
    }

    func testOverlappingTensors() {
        let a = RawTensor(name: "a", dims: [8]), b = RawTensor(name: "b", dims: [8])
        assertRejects(Self.raw(tensors: [a, b], data: Self.f32x8), "ov.gguf") {
            $0 == .tensorsOverlap(file: "ov.gguf", first: "a", second: "b")
        }
    }

    // MARK: - Truncation at every byte

    /// A small valid file with strings, arrays and two tensors whose last one ends exactly at
    /// the end of the file (so that every cut removes something needed).
    static func smallValidFile() -> [UInt8] {
        var writer = GGUFWriter()
        writer.add("general.architecture", .string("llama"))
        writer.add("llama.block_count", .uint32(2))
        writer.add("tokenizer.ggml.tokens", .array(.strings(["a", "bc", "<|im_end|>"])))
        writer.add("tokenizer.ggml.scores", .array(.float32([0, -1, -2])))
        writer.add("nested", .array(.arrays([.int16([1, 2]), .strings(["x"])])))
        writer.add("flag", .bool(true))
        writer.add("eps", .float64(1e-5))
        writer.addTensor(name: "q", dimensions: [32, 1], type: .q8_0, data: [UInt8](repeating: 3, count: 34))
        writer.addTensor(name: "norm", dimensions: [8], floats: [Float](repeating: 1, count: 8))
        return writer.bytes()
    }

    func testTruncationAtEveryByteThrows() throws {
        let bytes = Self.smallValidFile()
        let file = try GGUFFile(bytes: bytes, name: "ok.gguf")
        XCTAssertEqual(file.tensors.last.map { $0.offset + $0.byteCount }, bytes.count)
        var kinds = Set<String>()
        for length in 0 ..< bytes.count {
            do {
                _ = try GGUFFile(bytes: Array(bytes.prefix(length)), name: "cut.gguf")
                XCTFail("a file cut to \(length) of \(bytes.count) bytes was accepted")
            } catch let error as GGUFError {
                XCTAssertEqual(error.file, "cut.gguf")
                kinds.insert(String("\(error)".split(separator: ":")[1].prefix(12)))
            }
        }
        XCTAssertGreaterThanOrEqual(kinds.count, 3, "\(kinds)")
    }

    /// Random byte flips in the header and tables must give an error or a valid file, never a
    /// crash (deterministic generator so that a failure reproduces).
    func testRandomCorruptionNeverCrashes() {
        let bytes = Self.smallValidFile()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        let tableEnd = (try? GGUFFile(bytes: bytes, name: "x").dataOffset) ?? bytes.count
        for _ in 0 ..< 3000 {
            var copy = bytes
            for _ in 0 ..< 1 + Int(next() % 3) {
                copy[Int(next() % UInt64(tableEnd))] = UInt8(truncatingIfNeeded: next())
            }
            do {
                let file = try GGUFFile(bytes: copy, name: "fuzz.gguf")
                for tensor in file.tensors { _ = file.data(for: tensor) }
            } catch {
                XCTAssertEqual((error as? GGUFError)?.file, "fuzz.gguf")
            }
        }
    }
}
