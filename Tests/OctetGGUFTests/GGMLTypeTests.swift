import XCTest
@testable import OctetGGUF

final class GGMLTypeTests: XCTestCase {
    /// Block geometry of the types the default model and Q4_K_M files use (ggml-common.h).
    func testBlockGeometry() {
        XCTAssertEqual(GGMLType.q4_1.blockSize, 32)
        XCTAssertEqual(GGMLType.q4_1.blockBytes, 20)
        XCTAssertEqual(GGMLType.q8_0.blockBytes, 34)
        XCTAssertEqual(GGMLType.q4_K.blockSize, 256)
        XCTAssertEqual(GGMLType.q4_K.blockBytes, 144)
        XCTAssertEqual(GGMLType.q6_K.blockBytes, 210)
        XCTAssertEqual(GGMLType(rawValue: 4), nil, "id 4 was removed from ggml")
    }

    func testNames() {
        XCTAssertEqual(GGMLType.q4_1.description, "Q4_1")
        XCTAssertEqual(GGMLType.q6_K.description, "Q6_K")
        XCTAssertEqual(GGMLType.bf16.description, "BF16")
    }
}
