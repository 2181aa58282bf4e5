import XCTest
@testable import OctetTokenizer

final class TokenizerErrorTests: XCTestCase {
    func testMessagesNameTheCulprit() {
        XCTAssertEqual(
            TokenizerError.invalidMerge(index: 3, merge: "a").description, "invalid merge #3: \"a\"")
        XCTAssertEqual(
            TokenizerError.unknownPreTokenizer("xyz").description, "unknown pre-tokenizer \"xyz\"")
    }
}
