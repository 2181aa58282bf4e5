// MARK: - Seed corpus maker
//
// Writes the committed seed corpus of every fuzz target into Fuzz/corpus/<target>/ from real
// files: the shipped Prompts/ and Themes/, the JSON transcripts of the store's tests, exports of
// conversations made here, the tokenizer's golden cases, the chat formats' Jinja templates, and
// tiny GGUF files (GGUFSeeds.swift). `scripts/fuzz.sh seeds` builds and runs it; the output is
// deterministic, so running it again changes nothing.
//
// The binary inputs (tokenizer, chat-format) use the byte layout of Fuzz/Support/FuzzInput.swift:
// one byte per choice, strings as a length byte and that many bytes, the rest of the input last.

import Foundation
import OctetChat

@main
enum SeedMaker {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3 else {
            throw SeedError("usage: seed-maker REPOSITORY-ROOT OUTPUT-DIRECTORY")
        }
        let seeds = Seeds(root: arguments[1], output: arguments[2])
        try seeds.copyTextFiles()
        try seeds.valueSeeds()
        try seeds.slashCommands()
        try seeds.configs()
        try seeds.transcripts()
        try seeds.chatFormats()
        try seeds.tokenizer()
        try GGUFSeeds(seeds: seeds).writeAll()
        print("seeds written to \(arguments[2])")
    }
}

struct SeedError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Writing seeds

/// Where seeds come from and go to.
struct Seeds {
    let root: String
    let output: String

    /// Writes one seed file `target/name`.
    func write(_ target: String, _ name: String, _ bytes: [UInt8]) throws {
        let directory = output + "/" + target
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name))
    }

    func write(_ target: String, _ name: String, _ text: String) throws {
        try write(target, name, Array(text.utf8))
    }

    func read(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
    }

    func files(in folder: String, ending suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)
            .filter { $0.hasSuffix(suffix) }.sorted()
    }

    // MARK: - Files as they are

    /// The shipped templates and themes, the store's JSON transcripts.
    func copyTextFiles() throws {
        for file in try files(in: "Prompts", ending: ".yaml") {
            try write("prompt-template", file, [UInt8](try read("Prompts/" + file)))
        }
        for file in try files(in: "Themes", ending: ".yaml") {
            try write("theme", file, [UInt8](try read("Themes/" + file)))
        }
        let transcripts = "Tests/OctetStoreTests/Resources/v1-source"
        for file in try files(in: transcripts, ending: ".json") {
            try write("transcript-json", file, [UInt8](try read(transcripts + "/" + file)))
        }
        try write("prompt-template", "readme-example.yaml", Self.readmeTemplate)
        // Colour indexes in YAML 1.1's other integer forms: hex, octal, `_`, base 60 (1:30 = 90).
        try write("theme", "yaml-integers.yaml", """
            elements:
              text: { fg: 0x10, bg: 1:30 }
              note: { fg: 0o17, bg: 2_0 }

            """)
        try write("theme", "palette-index.yaml", """
            name: fuzz
            palette: { a: 17, b: "#FFFFFF" }
            elements:
              text: { fg: a, bg: default, fg8: bright-white, bg8: black, mono: "bold, dim" }
              code: { fg: 255, bg: b, style: none }

            """)
    }

    /// The example of README.md "Prompt templates".
    static let readmeTemplate = """
        name: translate
        description: Translate the text into another language.
        system: You are a translator.
        template: |
          Translate into {{language}}:
          {{input}}
        variables:
          language: English
        examples:
          - input: 我喜欢编程
            output: I love programming.
        sampling: {temperature: 0.2, max_tokens: 256, top_k: 40, top_p: 0.9, min_p: 0.05, repeat_penalty: 1.1, repeat_last_n: 64, seed: 7}
        stop: ["\\n\\n"]
        answer: "Answer:"

        """

    // MARK: - Written here

    /// Inputs in the one-value form of the file targets (a 0 byte, the slot, the value).
    func valueSeeds() throws {
        let values: [(String, UInt8, String)] = [
            ("theme", 0, "1:30"), ("theme", 1, "bright-white"), ("theme", 2, "\"#A0b1C2\""),
            ("theme", 3, "[bold, underline]"),
            ("config", 0, "~/m.gguf"), ("config", 3, "0.7"), ("config", 9, "random"),
            ("prompt-template", 0, "Q: {{input}}\n{{#v}}in {{v}}{{/v}}{{^v}}-{{/v}}{{! note }}"),
            ("prompt-template", 1, "|\n  a {{input}} b"), ("prompt-template", 3, "0.25"),
            ("prompt-template", 4, "[\"\\n\\n\", END]"),
        ]
        for (index, (target, slot, value)) in values.enumerated() {
            try write(target, "value-\(index)", [0, slot] + Array(value.utf8))
        }
    }

    func slashCommands() throws {
        let lines = [
            "/help", "/new", "/template chain-of-thought", "/template", "/templates",
            "/system You are terse.", "/system", "/sessions", "/resume 12", "/resume #3",
            "/rename  A title  ", "/theme light", "/retry", "/export json", "/export markdown",
            "/copy 2 code", "/copy", "/set temperature 0.7", "/set", "/edit", "/quit", "/Q",
            "//? more", "/nothing",
        ]
        for (index, line) in lines.enumerated() { try write("slash-command", "line-\(index)", line) }
    }

    func configs() throws {
        try write("config", "full.yaml", """
            model: ~/models/TinyLlama-1.1B-Chat.Q8_0.gguf
            theme: light
            template: chain-of-thought
            sampling:
              temperature: 0.7
              top_k: 40
              top-p: 0.9
              min_p: 0.05
              repeat_penalty: 1.1
              repeat_last_n: 64
              max_tokens: 256
              seed: 42            # or "random"

            """)
        try write("config", "random-seed.yaml", "sampling: {seed: random, n: 32}\n")
        try write("config", "empty.yaml", "")
    }

    /// Exports of conversations (every optional field, an interrupted and a stopped reply, a
    /// random seed), and the smallest file import accepts.
    func transcripts() throws {
        let start = Date(timeIntervalSince1970: 1_746_091_800.125)
        let reply = GenerationInfo(
            model: "SmolLM2-135M-Instruct.Q4_1.gguf", modelHash: String(repeating: "ab", count: 32),
            template: "few-shot", sampling: .default, seed: 7, promptTokens: 31,
            generatedTokens: 40, tokensPerSecond: 55.5, promptTokensPerSecond: 410.5,
            timeToFirstToken: 0.08, stopReason: "eos")
        var stopped = reply
        stopped.stopReason = "cancelled"
        let conversation = Conversation(
            title: "Capital of France", created: start, updated: start.addingTimeInterval(9),
            model: "m.gguf", chatFormat: "chatml", template: "few-shot", systemPrompt: "Be brief.",
            messages: [
                Message(role: .system, content: "Be brief.", created: start),
                Message(role: .user, content: "我喜欢编程 🙂\n", created: start.addingTimeInterval(1)),
                Message(role: .assistant, content: "Paris.", created: start.addingTimeInterval(2),
                        generation: reply),
                Message(role: .user, content: "And Italy?", created: start.addingTimeInterval(3)),
                Message(role: .assistant, content: "Ro", created: start.addingTimeInterval(4),
                        complete: false, generation: stopped),
            ])
        try write("transcript-json", "export-full.json", [UInt8](try Transcript.json(conversation)))
        try write("transcript-json", "export-empty.json", [UInt8](try Transcript.json(Conversation(
            title: "", created: start))))
        try write("transcript-json", "minimal.json", """
            {"version":1,"messages":[{"role":"user","content":"hi","created":"2025-05-01T09:30:00+02:00"}]}
            """)
    }
}

// MARK: - Byte-layout inputs

/// Builds an input in FuzzInput's layout.
struct InputBuilder {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func uint16(_ value: UInt16) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    mutating func chunk(_ text: String) {
        let utf8 = Array(text.utf8.prefix(255))
        bytes.append(UInt8(utf8.count))
        bytes += utf8
    }
    mutating func rest(_ text: String) { bytes += Array(text.utf8) }
}

extension Seeds {
    /// Conversations in the chat-format target's layout, each followed by one format's Jinja
    /// template from chat_formats.json (the text the target recognises).
    func chatFormats() throws {
        struct Reference: Decodable {
            struct Format: Decodable { let name: String; let template: String }
            let formats: [Format]
        }
        let reference = try JSONDecoder().decode(
            Reference.self, from: try read("Tests/OctetChatTests/Resources/chat_formats.json"))
        let conversations: [[(UInt8, String)]] = [
            [(1, "Hello!")],
            [(0, "Be brief."), (1, "What is 2+2?"), (2, " 4 "), (1, "And 3+3?")],
            [(1, "a"), (1, "b"), (2, "\n"), (0, "late system"), (2, "x")],
            [],
        ]
        for (index, format) in reference.formats.enumerated() {
            var input = InputBuilder()
            input.chunk(index.isMultiple(of: 2) ? "<s>" : "")
            input.chunk(index.isMultiple(of: 2) ? "</s>" : "<|im_end|>")
            let messages = conversations[index % conversations.count]
            input.byte(UInt8(messages.count))
            for (role, content) in messages {
                input.byte(role)
                input.chunk(content)
            }
            input.rest(format.template)
            try write("chat-format", format.name, input.bytes)
        }
    }

    /// The golden cases' texts (mode 0, under each pre-tokenizer in turn) and ids (mode 1),
    /// and two vocabularies made in the input (mode 2).
    func tokenizer() throws {
        struct Cases: Decodable {
            struct Case: Decodable { let name: String; let text: String; let ids: [Int] }
            let cases: [Case]
        }
        let cases = try JSONDecoder().decode(
            Cases.self, from: try read("Tests/OctetTokenizerTests/Resources/tokenizer_cases.json"))
        for (index, golden) in cases.cases.enumerated() where index % 4 == 0 || golden.text.count > 40 {
            var text = InputBuilder()
            text.byte(0)
            text.byte(UInt8(index % 4))
            text.byte(UInt8(index % 2))
            text.rest(golden.text)
            try write("tokenizer", "text-\(index)", text.bytes)
            guard index % 8 == 0 else { continue }
            var ids = InputBuilder()
            ids.byte(1)
            for id in golden.ids { ids.uint16(UInt16(id)) }
            try write("tokenizer", "ids-\(index)", ids.bytes)
        }
        for (index, pre) in [0, 2].enumerated() {
            var vocabulary = InputBuilder()
            vocabulary.byte(2)
            vocabulary.byte(5)  // 6 tokens
            for byte in Array("ab ".utf8) {
                vocabulary.byte(1)
                vocabulary.byte(byte)
                vocabulary.byte(1)
            }
            vocabulary.byte(0); vocabulary.chunk("<|x|>"); vocabulary.byte(3)
            vocabulary.byte(0); vocabulary.chunk("<0x0A>"); vocabulary.byte(6)
            vocabulary.byte(0); vocabulary.chunk("?"); vocabulary.byte(2)
            vocabulary.byte(2)  // two merges
            vocabulary.byte(0); vocabulary.byte(0); vocabulary.byte(1); vocabulary.byte(1)
            vocabulary.byte(0); vocabulary.byte(2); vocabulary.byte(0); vocabulary.byte(1)
            vocabulary.byte(UInt8(pre))
            vocabulary.rest("ab ba<|x|>\n c")
            try write("tokenizer", "vocabulary-\(index)", vocabulary.bytes)
        }
    }
}
