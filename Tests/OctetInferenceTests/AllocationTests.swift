import XCTest
@testable import OctetInference

/// STYLE.md H2: the forward pass allocates nothing per token (all buffers live in RunState).
/// What this can see: malloc's bytes in use, which grow with anything kept per token (the
/// token list is reserved for the whole context up front). A block allocated and freed within
/// one call leaves no trace here; the code review (no `Array`/class creation in
/// `Transformer.forward`, no malloc in the kernels) covers that.
final class AllocationTests: XCTestCase {
    func testDecodingKeepsNoMemoryPerToken() throws {
        let (model, _) = try TinyModel().load()
        let context = try model.makeContext(contextLength: 1024)
        let inputs = (0 ..< 800).map { [($0 * 13) % 64] }  // the caller's arrays, made up front
        // Warm up (one-time lazy allocations of the runtime), then watch two windows of 350
        // tokens: 8 bytes kept per token would show as 2.8 KB in each. Malloc's statistics are
        // the whole process's, and threads a previous test left finishing may allocate during
        // one window; memory kept per token grows in both, so the smaller growth is the one.
        for input in inputs.prefix(100) { _ = try context.evaluate(input) }
        guard Diagnostics.heapBytesInUse > 0 else { throw XCTSkip("malloc statistics are not available here") }
        var growths: [Int] = []
        for window in [inputs[100 ..< 450], inputs[450 ..< 800]] {
            let before = Diagnostics.heapBytesInUse
            for input in window { _ = try context.evaluate(input) }
            growths.append(Diagnostics.heapBytesInUse - before)
        }
        XCTAssertLessThan(growths.map(abs).min()!, 1024, "bytes handed out by malloc per 350 tokens: \(growths)")
        XCTAssertEqual(context.cachedTokens.count, 800)
    }
}
