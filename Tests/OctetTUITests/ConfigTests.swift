import Foundation
import OctetChat
import XCTest

@testable import OctetTUI

final class ConfigTests: XCTestCase {
    func testParsesEveryKey() throws {
        let config = try AppConfig.parse("""
            model: /models/tiny.gguf
            theme: light
            template: chain-of-thought
            sampling:
              temperature: 0.3
              top_k: 20
              seed: 7
              max_tokens: 256
            """, file: "config.yaml")
        XCTAssertEqual(config.model, "/models/tiny.gguf")
        XCTAssertEqual(config.theme, "light")
        XCTAssertEqual(config.template, "chain-of-thought")
        XCTAssertEqual(config.sampling.temperature, 0.3)
        XCTAssertEqual(config.sampling.topK, 20)
        XCTAssertEqual(config.sampling.seed, 7)
        XCTAssertEqual(config.sampling.maxTokens, 256)
        XCTAssertEqual(config.sampling.topP, SamplingSettings.default.topP)
        XCTAssertEqual(config.samplingKeys, ["temperature", "top_k", "seed", "max_tokens"])
        var greedy = SamplingSettings.default
        greedy.temperature = 0
        greedy.topP = 0.5
        config.applySampling(to: &greedy)
        XCTAssertEqual(greedy.temperature, config.sampling.temperature)
        XCTAssertEqual(greedy.topK, config.sampling.topK)
        XCTAssertEqual(greedy.topP, 0.5)
    }

    func testErrorsNameLineAndField() {
        let cases: [(String, String)] = [
            ("theme: dark\nsampling:\n  temperature: hot\n", "config.yaml:3: sampling.temperature: expected a number in 0...10, got \"hot\""),
            ("colour: red\n", "config.yaml:1: colour: unknown key (model, theme, template, sampling)"),
            ("sampling:\n  warmth: 1\n", "config.yaml:2: sampling.warmth: unknown setting \"warmth\""),
            ("sampling: 3\n", "config.yaml:1: sampling: expected a mapping"),
            ("theme: [dark\n", "config.yaml:2"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try AppConfig.parse(text, file: "config.yaml")) { error in
                XCTAssertTrue("\(error)".hasPrefix(expected), "\(error)")
            }
        }
    }

    func testMissingFileIsAnEmptyConfigAndPathFollowsXDG() throws {
        XCTAssertEqual(try AppConfig.load(path: "/nonexistent/octet/config.yaml"), AppConfig())
        XCTAssertEqual(AppConfig.defaultPath(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/h"]), "/cfg/octet/config.yaml")
        XCTAssertEqual(AppConfig.defaultPath(environment: ["HOME": "/h"]), "/h/.config/octet/config.yaml")
    }

    func testDraftFileRoundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("octet-draft-\(UUID())/draft.txt").path
        let draft = DraftFile(path: path)
        XCTAssertNil(try draft.load())
        try draft.save("半分 written\nsecond line")
        XCTAssertEqual(try draft.load(), "半分 written\nsecond line")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        try draft.save("")
        XCTAssertNil(try draft.load())
    }
}
