import XCTest
@testable import OctetInference
import OctetGGUF

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

/// The default model rewritten with a separate classifier (`output.weight`, a copy of the
/// token embedding): it loads untied and gives exactly the tied model's logits.
final class SeparateOutputModelTests: XCTestCase {
    func testARealModelWithASeparateOutputMatrix() throws {
        let tied = try Reference.defaultModel()
        let file = try GGUFFile(path: Reference.defaultModelPath)
        var writer = GGUFWriter()
        for key in file.metadata.keys { writer.add(key, file.metadata[key]!) }
        for t in file.tensors {
            writer.addTensor(name: t.name, dimensions: t.dimensions, type: t.type, data: [UInt8](file.data(for: t)))
        }
        let embedding = try XCTUnwrap(file.tensor(named: "token_embd.weight"))
        writer.addTensor(name: "output.weight", dimensions: embedding.dimensions, type: embedding.type,
                         data: [UInt8](file.data(for: embedding)))
        let untied = try LanguageModel.load(file: try GGUFFile(bytes: writer.bytes(), name: "untied.gguf"), threads: 2)
        XCTAssertFalse(untied.config.tiedEmbeddings)
        XCTAssertTrue(tied.config.tiedEmbeddings)
        let prompt = Reference.cases[0].prompt_ids
        let a = try tied.makeContext(contextLength: 16), b = try untied.makeContext(contextLength: 16)
        XCTAssertEqual(Array(try b.evaluate(prompt)), Array(try a.evaluate(prompt)))
    }
}
