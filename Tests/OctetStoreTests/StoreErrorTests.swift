import XCTest
@testable import OctetStore

final class StoreErrorTests: XCTestCase {
    func testMessagesAreOneLineNamingTheFile() {
        let message = StoreError.notADatabase(path: "/tmp/x.sqlite").description
        XCTAssertTrue(message.hasPrefix("/tmp/x.sqlite: "))
        XCTAssertFalse(message.contains("\n"))
        XCTAssertEqual(StoreError.noSuchConversation(id: 12).description, "no conversation with id 12")
    }
}
