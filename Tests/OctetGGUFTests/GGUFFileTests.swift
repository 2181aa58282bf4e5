import XCTest
@testable import OctetGGUF

/// Round trips through GGUFWriter and GGUFFile: metadata of every type, tensors, alignment.
final class GGUFFileTests: XCTestCase {
    /// Every value type, including nested and empty arrays.
    static let allValues: [(String, GGUFValue)] = [
        ("u8", .uint8(200)), ("i8", .int8(-100)), ("u16", .uint16(60000)), ("i16", .int16(-30000)),
        ("u32", .uint32(4_000_000_000)), ("i32", .int32(-2_000_000_000)),
        ("u64", .uint64(.max)), ("i64", .int64(.min)),
        ("f32", .float32(-1.5)), ("f64", .float64(3.25e300)), ("yes", .bool(true)), ("no", .bool(false)),
        ("s", .string("héllo 世界 🙂")), ("empty", .string("")),
        ("a.u8", .array(.uint8([1, 2, 255]))), ("a.i8", .array(.int8([-128, 127]))),
        ("a.u16", .array(.uint16([1, 65535]))), ("a.i16", .array(.int16([-1, 2]))),
        ("a.u32", .array(.uint32([7]))), ("a.i32", .array(.int32([-7, 0, 7]))),
        ("a.u64", .array(.uint64([1 << 40]))), ("a.i64", .array(.int64([-(1 << 40)]))),
        ("a.f32", .array(.float32([0.5, -0.25]))), ("a.f64", .array(.float64([1e-300]))),
        ("a.bool", .array(.bools([true, false, true]))), ("a.s", .array(.strings(["a", "", "ü"]))),
        ("a.empty", .array(.int32([]))),
        ("a.nested", .array(.arrays([.int32([1, 2]), .strings(["x"]), .arrays([.float32([1])]), .arrays([])]))),
    ]

    func makeWriter(version: UInt32 = 3) -> GGUFWriter {
        var writer = GGUFWriter(version: version)
        for (key, value) in Self.allValues { writer.add(key, value) }
        writer.addTensor(name: "a", dimensions: [4], floats: [1, 2, 3, 4])
        writer.addTensor(name: "b", dimensions: [32, 2], type: .q8_0, data: [UInt8](repeating: 1, count: 68))
        writer.addTensor(name: "c", dimensions: [3, 1, 2], floats: [1, 2, 3, 4, 5, 6])
        return writer
    }

    func testRoundTripEveryValueTypeV3AndV2() throws {
        for version: UInt32 in [2, 3] {
            let file = try GGUFFile(bytes: makeWriter(version: version).bytes(), name: "rt.gguf")
            XCTAssertEqual(file.version, version)
            XCTAssertEqual(file.metadata.keys, Self.allValues.map { $0.0 })
            for (key, value) in Self.allValues {
                XCTAssertEqual(file.metadata[key], value, key)
            }
            XCTAssertEqual(file.alignment, 32)
            XCTAssertEqual(file.tensors.map(\.name), ["a", "b", "c"])
        }
    }

    func testTensorTableAndData() throws {
        let file = try GGUFFile(bytes: makeWriter().bytes(), name: "t.gguf")
        let b = try XCTUnwrap(file.tensor(named: "b"))
        XCTAssertEqual(b.dimensions, [32, 2])
        XCTAssertEqual(b.type, .q8_0)
        XCTAssertEqual(b.elementCount, 64)
        XCTAssertEqual(b.rowCount, 2)
        XCTAssertEqual(b.byteCount, 68)
        XCTAssertEqual(b.offset % 32, 0)
        XCTAssertEqual(Array(file.data(for: b)), [UInt8](repeating: 1, count: 68))
        let c = try XCTUnwrap(file.tensor(named: "c"))
        XCTAssertEqual(c.rowCount, 2)
        XCTAssertEqual(try file.dequantize(c), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try file.dequantize(file.tensor(named: "a")!), [1, 2, 3, 4])
        XCTAssertNil(file.tensor(named: "missing"))
        XCTAssertEqual(file.dataOffset, file.tensors[0].offset)
    }

    func testCustomAlignment() throws {
        var writer = GGUFWriter()
        writer.add("general.alignment", .uint32(64))
        writer.addTensor(name: "x", dimensions: [3], floats: [1, 2, 3])
        writer.addTensor(name: "y", dimensions: [2], floats: [4, 5])
        let file = try GGUFFile(bytes: writer.bytes(), name: "al.gguf")
        XCTAssertEqual(file.alignment, 64)
        XCTAssertEqual(file.dataOffset % 64, 0)
        XCTAssertEqual(file.tensors[1].offset - file.tensors[0].offset, 64)
        XCTAssertEqual(try file.dequantize(file.tensors[1]), [4, 5])
    }

    func testMetadataAccessors() throws {
        let m = try GGUFFile(bytes: makeWriter().bytes(), name: "m.gguf").metadata
        XCTAssertEqual(try m.int("u32"), 4_000_000_000)
        XCTAssertEqual(try m.int("i8"), -100)
        XCTAssertEqual(try m.float("f32"), -1.5)
        XCTAssertEqual(try m.float("i16"), -30000)
        XCTAssertEqual(try m.bool("yes"), true)
        XCTAssertEqual(try m.string("s"), "héllo 世界 🙂")
        XCTAssertEqual(try m.strings("a.s"), ["a", "", "ü"])
        XCTAssertEqual(try m.ints("a.i32"), [-7, 0, 7])
        XCTAssertEqual(try m.ints("a.u8"), [1, 2, 255])
        XCTAssertEqual(try m.floats("a.f32"), [0.5, -0.25])
        XCTAssertEqual(try m.optionalInt("absent"), nil)
        XCTAssertEqual(try m.optionalString("s"), "héllo 世界 🙂")
        XCTAssertEqual(try m.optionalInts("a.empty"), [])
        XCTAssertThrowsError(try m.int("s")) { error in
            XCTAssertEqual(error as? GGUFError,
                           .wrongType(file: "m.gguf", key: "s", expected: "an integer", found: "string"))
            XCTAssertEqual("\(error)", "m.gguf: metadata key 's' should be an integer but is string")
        }
        XCTAssertThrowsError(try m.string("absent")) { error in
            XCTAssertEqual(error as? GGUFError, .missingKey(file: "m.gguf", key: "absent"))
        }
        XCTAssertThrowsError(try m.optionalStrings("a.i32")) { error in
            XCTAssertEqual(error as? GGUFError, .wrongType(
                file: "m.gguf", key: "a.i32", expected: "array of string", found: "array of int32"))
        }
        XCTAssertThrowsError(try m.int("u64")) { error in
            guard case .valueOutOfRange(let file, "u64", _) = error as? GGUFError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(file, "m.gguf")
        }
        XCTAssertThrowsError(try m.ints("a.s"))
        XCTAssertThrowsError(try m.bool("u8"))
    }

    func testWriteToPathAndMap() throws {
        let path = NSTemporaryDirectory() + "octet-gguf-\(getpid()).gguf"
        defer { unlink(path) }
        try makeWriter().write(to: path)
        let file = try GGUFFile(path: path)
        XCTAssertEqual(file.name, path)
        XCTAssertEqual(file.tensors.count, 3)
        XCTAssertEqual(try file.dequantize(file.tensors[0]), [1, 2, 3, 4])
        file.releasePages()  // data re-faults from the file afterwards
        XCTAssertEqual(try file.dequantize(file.tensors[2]), [1, 2, 3, 4, 5, 6])
    }

    func testOpenErrorsNameThePath() {
        XCTAssertThrowsError(try GGUFFile(path: "/nonexistent/x.gguf")) { error in
            guard case .cannotOpen(let file, _) = error as? GGUFError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "/nonexistent/x.gguf")
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent/x.gguf: "))
        }
        XCTAssertThrowsError(try GGUFFile(path: NSTemporaryDirectory())) { error in
            guard case .cannotOpen = error as? GGUFError else { return XCTFail("\(error)") }
        }
    }
}
