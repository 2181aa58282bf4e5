import XCTest
import OctetKernels

final class DispatchTests: XCTestCase {
    func testForcingALevelNeverGoesAboveTheDetectedOne() {
        let best = oct_isa_detect()
        defer { _ = oct_isa_set(best) }
        XCTAssertEqual(oct_isa_set(OCT_ISA_SCALAR), OCT_ISA_SCALAR)
        XCTAssertEqual(oct_isa_current(), OCT_ISA_SCALAR)
        XCTAssertEqual(oct_isa_set(OCT_ISA_AVX512_VNNI), best)
        XCTAssertEqual(String(cString: oct_isa_name(OCT_ISA_AVX2)), "avx2")
    }
}
