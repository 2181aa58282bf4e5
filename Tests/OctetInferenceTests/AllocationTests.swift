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
        // Warm up (one-time lazy allocations of the runtime), then watch 700 tokens: even
        // 8 bytes kept per token would show as 5.6 KB; the test harness itself may allocate a
        // few hundred bytes meanwhile.
        for input in inputs.prefix(100) { _ = try context.evaluate(input) }
        let before = Diagnostics.heapBytesInUse
        guard before > 0 else { throw XCTSkip("malloc statistics are not available here") }
        for input in inputs.dropFirst(100) { _ = try context.evaluate(input) }
        let growth = Diagnostics.heapBytesInUse - before
        XCTAssertLessThan(abs(growth), 2048, "bytes handed out by malloc over 700 tokens")
        XCTAssertEqual(context.cachedTokens.count, 800)
    }
}
