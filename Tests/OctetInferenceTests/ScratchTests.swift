import XCTest
import Foundation
@testable import OctetInference

final class ScratchTests: XCTestCase {
    func testSpeed() throws {
        let model = try LanguageModel.load(path: Reference.defaultModelPath, threads: Int(ProcessInfo.processInfo.environment["THREADS"] ?? "2")!)
        for level in KernelLevel.supported.reversed() {
            KernelLevel.use(level)
            let ctx = try model.makeContext(contextLength: 1024)
            let n = level == .scalar ? 8 : 64
            _ = try ctx.evaluate([1])
            let t0 = Date()
            for i in 0 ..< n { _ = try ctx.evaluate([(i * 7919) % 49152]) }
            let dt = Date().timeIntervalSince(t0)
            ctx.truncateCache(to: 0)
            let p = level == .scalar ? 16 : 256
            let t1 = Date()
            _ = try ctx.evaluate((0 ..< p).map { ($0 * 104729) % 49152 })
            let dp = Date().timeIntervalSince(t1)
            print("\(level): tg \(Double(n) / dt) tok/s, pp\(p) \(Double(p) / dp) tok/s")
        }
        KernelLevel.use(.best)
    }
}
