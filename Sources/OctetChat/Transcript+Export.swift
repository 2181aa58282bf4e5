import Foundation

/// A conversation as a file: Markdown to read (`octet show`, `octet export --format md`),
/// JSON to keep and to import again (`octet export --format json`, `octet import`).
///
/// ## JSON schema, version 1
/// ```
/// { "version": 1,                          // this schema; import refuses newer versions
///   "id": 12, "title": "…",
///   "created": "2025-05-01T09:30:00.125Z", // ISO 8601, UTC, milliseconds
///   "updated": "…",
///   "model": "SmolLM2-135M-Instruct.Q4_1.gguf", "chat_format": "chatml",
///   "template": "few-shot", "system_prompt": "…",
///   "sampling": { "temperature": 0.8, "top_k": 40, "top_p": 0.95, "min_p": 0.05,
///                 "repeat_penalty": 1.0, "repeat_last_n": 64, "seed": 7, "max_tokens": 512 },
///   "messages": [
///     { "role": "user", "content": "…", "created": "…", "complete": true },
///     { "role": "assistant", "content": "…", "created": "…", "complete": true,
///       "model": "…", "model_hash": "<sha256 hex>", "template": "few-shot",
///       "sampling": { … }, "seed": 123, "prompt_tokens": 31, "generated_tokens": 40,
///       "tok_s": 55.2, "prompt_tok_s": 410.0, "ttft_s": 0.08, "stop_reason": "eos" } ] }
/// ```
/// Fields without a value are left out (but `sampling.seed` is null when every reply draws a
/// random seed). On import only `version` and `messages` (each with
/// `role`, `content`, `created`) are required; a missing `complete` means true, missing
/// sampling fields take `SamplingSettings.default`'s values, `id` is ignored (the store gives
/// a new one). Export then import gives back the same conversation, to the millisecond.
public enum Transcript {
    /// The JSON schema version written, and the newest one read.
    public static let jsonVersion = 1

    /// Why a JSON transcript could not be imported; one line.
    public enum ImportError: Error, CustomStringConvertible, Equatable {
        case invalid(String)
        case newerVersion(Int)

        public var description: String {
            switch self {
            case .invalid(let problem): return "not an Octet transcript: \(problem)"
            case .newerVersion(let version):
                return "transcript version \(version) is newer than this Octet reads "
                    + "(\(Transcript.jsonVersion))"
            }
        }
    }

    // MARK: - Markdown

    /// The conversation as Markdown: its title, model, template and settings, then each
    /// message with its role and time (UTC); an unfinished reply says so.
    public static func markdown(_ conversation: Conversation) -> String {
        var lines = ["# " + (conversation.title.isEmpty ? "Untitled" : conversation.title), ""]
        if let id = conversation.id { lines.append("- Conversation: \(id)") }
        lines.append("- Model: " + (conversation.model ?? "unknown"))
        if let format = conversation.chatFormat { lines.append("- Chat format: " + format) }
        lines.append("- Template: " + (conversation.template ?? "none"))
        lines.append("- Created: " + readableTime(conversation.created))
        lines.append("- Updated: " + readableTime(conversation.updated))
        if let system = conversation.systemPrompt {
            lines += ["", "**System prompt:**", ""]
            let quoted = system.split(separator: "\n", omittingEmptySubsequences: false)
            lines += quoted.map { "> " + $0 }
        }
        for message in conversation.messages {
            let role = message.role.rawValue.capitalized
            lines += ["", "## \(role) · \(readableTime(message.created))", ""]
            lines.append(message.content)
            if let note = replyNote(message) { lines += ["", note] }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func replyNote(_ message: Message) -> String? {
        guard message.role == .assistant else { return nil }
        var parts: [String] = []
        if !message.complete {
            parts.append(
                message.generation?.stopReason == "cancelled"
                    ? "stopped by the user" : "interrupted: this reply did not finish")
        }
        if let info = message.generation {
            parts.append(info.model)
            if let template = info.template { parts.append("template " + template) }
            if info.generatedTokens > 0 { parts.append("\(info.generatedTokens) tokens") }
            if info.tokensPerSecond > 0 {
                parts.append(String(format: "%.1f tok/s", info.tokensPerSecond))
            }
            if let seed = info.seed { parts.append("seed \(seed)") }
        }
        return parts.isEmpty ? nil : "*" + parts.joined(separator: " · ") + "*"
    }

    // MARK: - JSON

    /// The conversation as JSON (schema above), pretty-printed, keys sorted (the same
    /// conversation always gives the same bytes), UTF-8.
    public static func json(_ conversation: Conversation) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(ConversationJSON(conversation))
    }

    /// The conversation in a JSON transcript, without ids (as new to the store).
    /// - Throws: `Transcript.ImportError` saying what is wrong and where.
    public static func conversation(fromJSON data: Data) throws -> Conversation {
        let decoded: ConversationJSON
        do {
            decoded = try JSONDecoder().decode(ConversationJSON.self, from: data)
        } catch let error as DecodingError {
            throw ImportError.invalid(describe(error))
        } catch {
            throw ImportError.invalid("not JSON")
        }
        guard decoded.version <= jsonVersion else {
            throw ImportError.newerVersion(decoded.version)
        }
        guard decoded.version >= 1 else { throw ImportError.invalid("version \(decoded.version)") }
        return try decoded.conversation()
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "\(path(context.codingPath)): invalid"
        @unknown default:
            return "invalid"
        }
    }

    // MARK: - Times

    /// ISO 8601 in UTC with milliseconds: `2025-05-01T09:30:00.125Z` (the times of the JSON
    /// transcript, and of `octet list --json`).
    public static func iso8601(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = floorDivision(milliseconds, 1000)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let text = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
        let digits = String(fraction + 1000).dropFirst()
        return text.dropLast() + "." + digits + "Z"
    }

    /// Parses ISO 8601 (`Z` or an offset, any fraction of a second), rounded to the
    /// millisecond the way the store rounds, so that an exported time reads back equal.
    /// Only years 0001-9999 (four digits): the formatter reads a signed year such as
    /// `-2025-05-02` too, but does not write it back the same (found by fuzzing).
    public static func date(iso8601 text: String) -> Date? {
        guard text.utf8.count >= 4, text.utf8.prefix(4).allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        var base = text
        var milliseconds: Int64 = 0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix(while: \.isNumber)
            guard !digits.isEmpty else { return nil }
            let fraction = Double("0." + digits) ?? 0
            milliseconds = Int64((fraction * 1000).rounded())
            base = String(text[..<dot]) + text[text.index(after: dot)...].dropFirst(digits.count)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let whole = formatter.date(from: base), Self.supportedSeconds.contains(whole.timeIntervalSince1970)
        else { return nil }
        let total = Int64(whole.timeIntervalSince1970.rounded()) * 1000 + milliseconds
        return Date(timeIntervalSince1970: Double(total) / 1000)
    }

    /// 0001-01-01T00:00:00Z ..< 10000-01-01T00:00:00Z in seconds since 1970, as the formatter
    /// counts them (Julian calendar before 1582): an offset can move a four-digit local time
    /// just outside, into a year 0 it writes back as year 1.
    static let supportedSeconds = -62_135_769_600.0 ..< 253_402_300_800.0

    /// `2025-05-01 09:30:00 UTC`, for Markdown.
    static func readableTime(_ date: Date) -> String {
        let text = iso8601(date)
        return text.prefix(10) + " " + text.dropFirst(11).prefix(8) + " UTC"
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = ((value % divisor) + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }
}

// MARK: - JSON shapes

/// Version 1 of the JSON transcript's top level.
private struct ConversationJSON: Codable {
    var version: Int
    var id: Int64?
    var title: String?
    var created: String?
    var updated: String?
    var model: String?
    var chatFormat: String?
    var template: String?
    var systemPrompt: String?
    var sampling: SamplingJSON?
    var messages: [MessageJSON]

    enum CodingKeys: String, CodingKey {
        case version, id, title, created, updated, model, template, sampling, messages
        case chatFormat = "chat_format", systemPrompt = "system_prompt"
    }

    init(_ conversation: Conversation) {
        version = Transcript.jsonVersion
        id = conversation.id
        title = conversation.title
        created = Transcript.iso8601(conversation.created)
        updated = Transcript.iso8601(conversation.updated)
        model = conversation.model
        chatFormat = conversation.chatFormat
        template = conversation.template
        systemPrompt = conversation.systemPrompt
        sampling = SamplingJSON(conversation.sampling)
        messages = conversation.messages.map(MessageJSON.init)
    }

    func conversation() throws -> Conversation {
        let messages = try self.messages.enumerated().map { try $1.message(index: $0) }
        let created = try time(self.created, "created") ?? messages.first?.created ?? Date()
        return Conversation(
            title: title ?? "", created: created,
            updated: try time(self.updated, "updated") ?? messages.last?.created ?? created,
            model: model, chatFormat: chatFormat, template: template, systemPrompt: systemPrompt,
            sampling: sampling?.settings ?? .default, messages: messages)
    }

    private func time(_ text: String?, _ field: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = Transcript.date(iso8601: text) else {
            throw Transcript.ImportError.invalid("\(field): not an ISO 8601 time")
        }
        return date
    }
}

/// One message; the generation fields are present for replies that have them.
private struct MessageJSON: Codable {
    var role: String
    var content: String
    var created: String
    var complete: Bool?
    var model: String?
    var modelHash: String?
    var template: String?
    var sampling: SamplingJSON?
    var seed: UInt64?
    var promptTokens: Int?
    var generatedTokens: Int?
    var tokS: Double?
    var promptTokS: Double?
    var ttftS: Double?
    var stopReason: String?

    enum CodingKeys: String, CodingKey {
        case role, content, created, complete, model, template, sampling, seed
        case modelHash = "model_hash", promptTokens = "prompt_tokens"
        case generatedTokens = "generated_tokens", tokS = "tok_s", promptTokS = "prompt_tok_s"
        case ttftS = "ttft_s", stopReason = "stop_reason"
    }

    init(_ message: Message) {
        role = message.role.rawValue
        content = message.content
        created = Transcript.iso8601(message.created)
        complete = message.complete
        guard let info = message.generation else { return }
        model = info.model
        modelHash = info.modelHash
        template = info.template
        sampling = SamplingJSON(info.sampling)
        seed = info.seed
        promptTokens = info.promptTokens
        generatedTokens = info.generatedTokens
        tokS = info.tokensPerSecond
        promptTokS = info.promptTokensPerSecond
        ttftS = info.timeToFirstToken
        stopReason = info.stopReason
    }

    func message(index: Int) throws -> Message {
        guard let role = Role(rawValue: role) else {
            throw Transcript.ImportError.invalid(
                "messages[\(index)].role: unknown role \"\(role)\"")
        }
        guard let created = Transcript.date(iso8601: created) else {
            throw Transcript.ImportError.invalid("messages[\(index)].created: not an ISO 8601 time")
        }
        let generation = model.map { model in
            GenerationInfo(
                model: model, modelHash: modelHash, template: template,
                sampling: sampling?.settings ?? .default, seed: seed,
                promptTokens: promptTokens ?? 0, generatedTokens: generatedTokens ?? 0,
                tokensPerSecond: tokS ?? 0, promptTokensPerSecond: promptTokS,
                timeToFirstToken: ttftS, stopReason: stopReason)
        }
        return Message(
            role: role, content: content, created: created, complete: complete ?? true,
            generation: generation)
    }
}

/// `SamplingSettings` in snake case; missing fields take the defaults.
private struct SamplingJSON: Codable {
    var settings: SamplingSettings

    enum CodingKeys: String, CodingKey {
        case temperature, seed
        case topK = "top_k", topP = "top_p", minP = "min_p", repeatPenalty = "repeat_penalty"
        case repeatLastN = "repeat_last_n", maxTokens = "max_tokens"
    }

    init(_ settings: SamplingSettings) { self.settings = settings }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SamplingSettings.default
        settings = SamplingSettings(
            temperature: try c.decodeIfPresent(Double.self, forKey: .temperature) ?? d.temperature,
            topK: try c.decodeIfPresent(Int.self, forKey: .topK) ?? d.topK,
            topP: try c.decodeIfPresent(Double.self, forKey: .topP) ?? d.topP,
            minP: try c.decodeIfPresent(Double.self, forKey: .minP) ?? d.minP,
            repeatPenalty: try c.decodeIfPresent(Double.self, forKey: .repeatPenalty)
                ?? d.repeatPenalty,
            repeatLastN: try c.decodeIfPresent(Int.self, forKey: .repeatLastN) ?? d.repeatLastN,
            seed: try c.decodeIfPresent(UInt64.self, forKey: .seed),
            maxTokens: try c.decodeIfPresent(Int.self, forKey: .maxTokens) ?? d.maxTokens)
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(settings.temperature, forKey: .temperature)
        try c.encode(settings.topK, forKey: .topK)
        try c.encode(settings.topP, forKey: .topP)
        try c.encode(settings.minP, forKey: .minP)
        try c.encode(settings.repeatPenalty, forKey: .repeatPenalty)
        try c.encode(settings.repeatLastN, forKey: .repeatLastN)
        try c.encode(settings.seed, forKey: .seed)
        try c.encode(settings.maxTokens, forKey: .maxTokens)
    }
}
