import XCTest
@testable import OctetInference

/// The default model against the float reference, with the tolerances of
/// ../shared/reference/README.md for an INT8 engine, at every kernel level this CPU runs.
final class ReferenceLogitsTests: XCTestCase {
    override func tearDown() {
        KernelLevel.use(.best)
        super.tearDown()
    }

    /// Full logits rows: correlation >= 0.99, |delta| <= 1.5 over the reference top-10.
    func testLastPositionLogitsRows() throws {
        let model = try Reference.defaultModel()
        for level in KernelLevel.supported {
            KernelLevel.use(level)
            for c in Reference.cases {
                guard let file = c.logits_last_file?.file else { continue }
                let expected = try Reference.logitsRow(file)
                let context = try model.makeContext(contextLength: 256)
                let logits = try context.evaluate(c.prompt_ids)
                XCTAssertEqual(logits.count, expected.count)
                let r = correlation(logits, expected)
                XCTAssertGreaterThanOrEqual(r, 0.99, "\(level) \(c.name)")
                let delta = c.top10.map { abs(logits[$0.id] - $0.logit) }.max()!
                XCTAssertLessThanOrEqual(delta, 1.5, "\(level) \(c.name)")
                print("\(level) \(c.name): correlation \(r), max |delta| top-10 \(delta)")
            }
        }
    }
}
