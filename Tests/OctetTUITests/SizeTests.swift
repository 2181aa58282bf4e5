import XCTest
@testable import OctetTUI

final class SizeTests: XCTestCase {
    func testEquality() {
        XCTAssertEqual(Size(columns: 80, rows: 24), Size(columns: 80, rows: 24))
        XCTAssertNotEqual(Size(columns: 80, rows: 24), Size(columns: 24, rows: 80))
    }
}
