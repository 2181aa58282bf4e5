import Foundation
@testable import OctetChat

/// The reference files copied into this target's Resources/.
enum Fixtures {
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Resources/\(name)", withExtension: nil)
            ?? Bundle.module.url(forResource: name, withExtension: nil)
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name]) }
        return url
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name)))
    }

    /// The default model; tests that need it read it from where `make model` installs it.
    static var defaultModelPath: String {
        let env = ProcessInfo.processInfo.environment
        let home = env["HOME"] ?? NSHomeDirectory()
        let data = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        return data + "/octet/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }
}

// MARK: - chat_formats.json

struct ChatFormatsFile: Decodable {
    struct Format: Decodable {
        var name: String
        var template: String
        var markers: [String]
        var absent_markers: [String]
        var cases: [Case]
        var llamacpp_crosscheck: Crosscheck?
    }

    struct Case: Decodable {
        var name: String
        var messages: [ChatMessage]
        var add_generation_prompt: Bool
        var bos_token: String
        var eos_token: String
        var expected: String?
        var error: String?
    }

    struct Crosscheck: Decodable {
        struct Folded: Decodable {
            var jinja2_output: String?
            var match: Bool
        }
        var bos_token: String
        var eos_token: String
        var llamacpp_expected: String
        var system_folded_into_first_user: Folded?
    }

    var formats: [Format]
}

// MARK: - forward_cases.json

struct ForwardCasesFile: Decodable {
    struct Case: Decodable {
        var name: String
        var kind: String
        var messages: [ChatMessage]?
        var prompt: String
        var prompt_ids: [Int]
    }
    var cases: [Case]
}
