import XCTest
@testable import OctetInference

// Each stage on 4-5-token rows whose expected result is worked out by hand in the comments.

/// The probabilities 0.1, 0.5, 0.05, 0.2, 0.15 for tokens 0-4 as logits (ln p): by rank the
/// tokens are 1 (0.5), 3 (0.2), 4 (0.15), 0 (0.1), 2 (0.05).
let fiveTokenLogits: [Float] = [0.1, 0.5, 0.05, 0.2, 0.15].map { logf($0) }

/// Runs `stages` over `logits` and returns the surviving (id, logit) pairs in buffer order.
func survivors(_ logits: [Float], _ stages: [any SamplerStage]) -> [Candidate] {
    let buffer = CandidateBuffer(capacity: logits.count)
    buffer.fill(logits)
    for stage in stages { stage.apply(buffer) }
    return Array(buffer.candidates)
}

func ids(_ candidates: [Candidate]) -> [Int32] { candidates.map(\.id) }

final class RepetitionPenaltyTests: XCTestCase {
    func penalty(_ p: Float, lastN: Int, history: [Int]) -> RepetitionPenalty {
        let stage = RepetitionPenalty(penalty: p, lastN: lastN, vocabularySize: 5)
        history.forEach(stage.accept)
        return stage
    }

    func testPositiveLogitsAreDividedNegativeOnesMultipliedOncePerToken() {
        // Tokens 0, 1, 4 seen (1 twice): 2/2 = 1; -1*2 = -2 (once, not -4); 0*2 = 0.
        let out = survivors([2, -1, 0.5, 3, 0], [penalty(2, lastN: 8, history: [0, 1, 1, 4])])
        XCTAssertEqual(out.map(\.logit), [1, -2, 0.5, 3, 0])
        XCTAssertEqual(ids(out), [0, 1, 2, 3, 4], "nothing is dropped or reordered")
    }

    func testOnlyTheLastNTokensCount() {
        // Window of 2 over [0, 1, 3]: tokens 1 and 3 only.
        let out = survivors([2, -1, 0.5, 3, 0], [penalty(2, lastN: 2, history: [0, 1, 3])])
        XCTAssertEqual(out.map(\.logit), [2, -2, 0.5, 1.5, 0])
    }

    func testAPenaltyBelowOneFavoursRepeats() {
        let out = survivors([2, -1, 0.5, 3, 0], [penalty(0.5, lastN: 4, history: [0, 1])])
        XCTAssertEqual(out.map(\.logit), [4, -0.5, 0.5, 3, 0])
    }

    func testOffWithPenaltyOneOrNoHistoryAndAfterReset() {
        let row: [Float] = [2, -1, 0.5, 3, 0]
        XCTAssertEqual(survivors(row, [penalty(1, lastN: 4, history: [0, 1])]).map(\.logit), row)
        XCTAssertEqual(survivors(row, [penalty(2, lastN: 4, history: [])]).map(\.logit), row)
        let stage = penalty(2, lastN: 4, history: [0, 1])
        stage.reset()
        XCTAssertEqual(survivors(row, [stage]).map(\.logit), row)
    }

    func testWorksOnAReorderedBufferToo() {
        // After top-k (3: tokens 3, 0, 2) the slow path finds tokens by id: 0 -> 1, 3 -> 1.5.
        let out = survivors(
            [2, -1, 0.5, 3, 0], [TopK(k: 3), penalty(2, lastN: 4, history: [0, 3, 1])])
        XCTAssertEqual(out, [Candidate(id: 3, logit: 1.5), Candidate(id: 0, logit: 1),
                             Candidate(id: 2, logit: 0.5)])
    }

    func testRepeatedAppliesPenalizeEachRowOnce() {
        let stage = penalty(2, lastN: 4, history: [0])
        for _ in 0..<3 { XCTAssertEqual(survivors([2, 1], [stage]).map(\.logit), [1, 1]) }
    }
}

final class TopKTests: XCTestCase {
    func testKeepsTheKBestSortedTiesToTheLowerID() {
        let row: [Float] = [1, 3, 2, 3, 0]
        XCTAssertEqual(ids(survivors(row, [TopK(k: 1)])), [1], "3 = 3: the lower id wins")
        XCTAssertEqual(ids(survivors(row, [TopK(k: 2)])), [1, 3])
        XCTAssertEqual(ids(survivors(row, [TopK(k: 3)])), [1, 3, 2])
        XCTAssertEqual(survivors(row, [TopK(k: 3)]).map(\.logit), [3, 3, 2])
    }

    func testZeroOrMoreThanTheRowKeepsEverythingInPlace() {
        let row: [Float] = [1, 3, 2, 3, 0]
        XCTAssertEqual(ids(survivors(row, [TopK(k: 0)])), [0, 1, 2, 3, 4])
        XCTAssertEqual(ids(survivors(row, [TopK(k: 5)])), [0, 1, 2, 3, 4])
        XCTAssertEqual(ids(survivors(row, [TopK(k: 9)])), [0, 1, 2, 3, 4])
    }
}

final class TopPTests: XCTestCase {
    func testKeepsTheSmallestNucleusReachingP() {
        // Sorted probabilities 0.5 (1), 0.2 (3), 0.15 (4), 0.1 (0), 0.05 (2); cumulative
        // 0.5, 0.7, 0.85, 0.95, 1.0.
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [TopP(p: 0.45)])), [1])
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [TopP(p: 0.6)])), [1, 3])
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [TopP(p: 0.8)])), [1, 3, 4])
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [TopP(p: 0.9)])), [1, 3, 4, 0])
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [TopP(p: 0.99)])), [1, 3, 4, 0, 2])
    }

    func testOneIsOffAndZeroKeepsTheBest() {
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [TopP(p: 1)])), [0, 1, 2, 3, 4])
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [TopP(p: 0)])), [1])
    }

    func testSeesOnlyTheCandidatesLeftAfterTopK() {
        // Top-2 leaves 0.5 and 0.2: renormalized 0.714 and 0.286, so p = 0.69 keeps one.
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [TopP(p: 0.69)])), [1, 3])
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [TopK(k: 2), TopP(p: 0.69)])), [1])
    }

    func testANucleusLargerThanThePartialSortGrowsIt() {
        // 300 equal logits: each 1/300; p = 0.501 needs 151 of them (150/300 = 0.5 < 0.501),
        // more than the first 64 sorted; ties go to the lower ids.
        let out = survivors([Float](repeating: 0.25, count: 300), [TopP(p: 0.501)])
        XCTAssertEqual(ids(out), (0..<151).map { Int32($0) })
    }
}

final class MinPTests: XCTestCase {
    func testDropsTokensBelowMinPTimesTheBestKeepingOrder() {
        // Best 0.5: min-p 0.25 -> threshold 0.125 keeps 0.5, 0.2, 0.15 (ids 1, 3, 4 in
        // vocabulary order); 0.35 -> 0.175 keeps 0.5, 0.2; 0.15 -> 0.075 drops only 0.05.
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [MinP(minP: 0.25)])), [1, 3, 4])
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [MinP(minP: 0.35)])), [1, 3])
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [MinP(minP: 0.15)])), [0, 1, 3, 4])
    }

    func testZeroIsOffAndOneKeepsTheBest() {
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [MinP(minP: 0)])), [0, 1, 2, 3, 4])
        XCTAssertEqual(ids(survivors(fiveTokenLogits, [MinP(minP: 1)])), [1])
    }

    func testAfterASortTheSurvivorsStaySorted() {
        let out = survivors(fiveTokenLogits, [TopK(k: 4), MinP(minP: 0.25)])
        XCTAssertEqual(ids(out), [1, 3, 4])
    }
}

final class TemperatureTests: XCTestCase {
    func testDividesEveryLogit() {
        XCTAssertEqual(survivors([1, 2, -4], [Temperature(temperature: 0.5)]).map(\.logit),
                       [2, 4, -8])
        XCTAssertEqual(survivors([1, 2, -4], [Temperature(temperature: 2)]).map(\.logit),
                       [0.5, 1, -2])
        XCTAssertEqual(survivors([1, 2, -4], [Temperature(temperature: 1)]).map(\.logit),
                       [1, 2, -4])
    }
}
