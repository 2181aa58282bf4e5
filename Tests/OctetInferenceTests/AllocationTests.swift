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
        let context = try model.makeContext(contextLength: 256)
        let inputs = (0 ..< 100).map { [($0 * 13) % 64] }  // the caller's arrays, made up front
        _ = try context.evaluate([1, 2, 3])
        _ = try context.evaluate([4])
        let before = Diagnostics.heapBytesInUse
        guard before > 0 else { throw XCTSkip("malloc statistics are not available here") }
        for input in inputs { _ = try context.evaluate(input) }
        XCTAssertEqual(Diagnostics.heapBytesInUse, before, "bytes handed out by malloc")
        XCTAssertEqual(context.cachedTokens.count, 104)
    }
}
