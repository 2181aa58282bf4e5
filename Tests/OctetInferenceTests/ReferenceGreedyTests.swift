import XCTest
@testable import OctetInference

/// Argmax agreement with the reference wherever its margin is at least 0.5 (README of
/// ../shared/reference: observed INT8 flips all had margins <= 0.31), at every prompt
/// position and every greedy step by teacher forcing, and free-running greedy decoding equal
/// up to the first low-margin step. Every case at the best kernel level; the slower levels
/// run a subset so `make test` stays quick (the scalar kernels run ~15 tokens/s).
final class ReferenceGreedyTests: XCTestCase {
    static let minimumMargin: Float = 0.5

    override func tearDown() {
        KernelLevel.use(.best)
        super.tearDown()
    }

    /// Which cases each level runs.
    func cases(for level: KernelLevel) -> [Reference.Case] {
        if level == .best { return Reference.cases }
        switch level {
        case .scalar: return Reference.cases.filter { $0.name == "raw_counting" }
        default: return Reference.cases.filter { ["raw_counting", "raw_capital_france", "chat_haiku"].contains($0.name) }
        }
    }

    func testBestLevel() throws { try run(at: .best) }

    func testAVX2() throws {
        guard KernelLevel.best.rawValue > KernelLevel.avx2.rawValue else { throw XCTSkip("AVX2 is the best level here") }
        try run(at: .avx2)
    }

    func testScalar() throws { try run(at: .scalar) }

    func run(at level: KernelLevel) throws {
        let model = try Reference.defaultModel()
        XCTAssertFalse(Reference.cases.isEmpty)
        XCTAssertEqual(KernelLevel.use(level), level)
        for c in cases(for: level) {
            try checkTeacherForced(c, model, "\(level)")
            try checkFreeRunning(c, model, "\(level)")
        }
    }

    /// The prompt one token at a time (the decode path), then the reference's greedy ids.
    func checkTeacherForced(_ c: Reference.Case, _ model: LanguageModel, _ level: String) throws {
        let context = try model.makeContext(contextLength: 128)
        for (i, token) in c.prompt_ids.enumerated() {
            let logits = try context.evaluate([token])
            if c.argmax_margin_per_position[i] >= Self.minimumMargin {
                XCTAssertEqual(argmax(logits), c.argmax_per_position[i], "\(level) \(c.name) prompt position \(i)")
            }
        }
        var logits = try context.evaluate([])
        for (step, id) in c.greedy.ids.enumerated() {
            if c.greedy.margins[step] >= Self.minimumMargin {
                XCTAssertEqual(argmax(logits), id, "\(level) \(c.name) teacher-forced step \(step)")
            }
            if step + 1 < c.greedy.ids.count { logits = try context.evaluate([id]) }
        }
    }

    /// The prompt as one batch (the prefill path), then a plain argmax loop.
    func checkFreeRunning(_ c: Reference.Case, _ model: LanguageModel, _ level: String) throws {
        let firstLow = c.greedy.margins.firstIndex { $0 < Self.minimumMargin } ?? c.greedy.ids.count
        guard firstLow > 0 else { return }
        let context = try model.makeContext(contextLength: 128)
        var logits = try context.evaluate(c.prompt_ids)
        var generated: [Int] = []
        for _ in 0 ..< firstLow {
            let next = argmax(logits)
            generated.append(next)
            logits = try context.evaluate([next])
        }
        XCTAssertEqual(generated, Array(c.greedy.ids.prefix(firstLow)), "\(level) \(c.name) free-running greedy")
        if c.name == "raw_counting" { XCTAssertEqual(generated.count, 32, "raw_counting: all 32 steps have margin > 1.9") }
    }
}
