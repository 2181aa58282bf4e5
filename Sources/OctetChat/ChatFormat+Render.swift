// MARK: - Rendering

/// One function per format, each a transcription of the model's Jinja template (the text is
/// in `chat_formats.json`). Jinja's `trim_blocks`/`lstrip_blocks` layout newlines are written
/// out where they survive (zephyr). Where a template raises, the same condition throws a
/// `ChatError` here, except a system message for formats that cannot hold one, which is
/// folded into the first user message first (`SystemMessageHandling.foldedIntoFirstUser`).
extension ChatFormat {
    /// The conversation as the model's template writes it.
    /// - Parameters:
    ///   - messages: the conversation, oldest first.
    ///   - bos: the model's BOS text, for templates that write it ("" for none).
    ///   - eos: the model's EOS text, for templates that write it.
    ///   - addGenerationPrompt: append the header that starts the assistant's reply.
    /// - Returns: the prompt text (control tokens as text; tokenize with special tokens on).
    /// - Throws: `ChatError.roleAlternation` or `.unsupportedRole` where the template rejects
    ///   the conversation.
    public func render(
        _ messages: [ChatMessage], bos: String = "", eos: String = "",
        addGenerationPrompt: Bool = true
    ) throws -> String {
        let messages = systemMessages == .foldedIntoFirstUser
            ? Self.foldingSystemMessages(messages) : messages
        switch self {
        case .chatmlSmolLM2, .chatml: return renderChatML(messages, addGenerationPrompt)
        case .llama3, .llama3HF: return renderLlama3(messages, bos, addGenerationPrompt)
        case .mistralV1: return try renderMistralV1(messages, bos, eos)
        case .mistralV02: return try renderMistralV02(messages, bos, eos)
        case .llama2Sys: return try renderLlama2Sys(messages, bos, eos)
        case .zephyr: return renderZephyr(messages, eos, addGenerationPrompt)
        case .gemma: return try renderGemma(messages, addGenerationPrompt)
        case .phi3: return renderPhi3(messages, bos)
        }
    }

    /// llama.cpp's fold for templates without a system role: each system message's text goes
    /// before the next user message's, joined by "\n"; one with no user message after it
    /// becomes a user message of its own.
    static func foldingSystemMessages(_ messages: [ChatMessage]) -> [ChatMessage] {
        var out: [ChatMessage] = []
        var pending: [String] = []
        for message in messages {
            switch message.role {
            case .system:
                pending.append(message.content)
            case .user where !pending.isEmpty:
                out.append(.user((pending + [message.content]).joined(separator: "\n")))
                pending = []
            default:
                out.append(message)
            }
        }
        if !pending.isEmpty { out.append(.user(pending.joined(separator: "\n"))) }
        return out
    }

    /// The check `(message.role == 'user') != (loop.index0 % 2 == 0)` of several templates.
    private func checkAlternation(_ message: ChatMessage, at index: Int) throws {
        if (message.role == .user) != index.isMultiple(of: 2) {
            throw ChatError.roleAlternation(format: name, index: index, role: message.role)
        }
    }

    // MARK: - ChatML

    private func renderChatML(_ messages: [ChatMessage], _ addGenerationPrompt: Bool) -> String {
        var out = ""
        if let first = messages.first, first.role != .system, let system = defaultSystemPrompt {
            out += "<|im_start|>system\n" + system + "<|im_end|>\n"
        }
        for message in messages {
            out += "<|im_start|>" + message.role.rawValue + "\n" + message.content + "<|im_end|>\n"
        }
        if addGenerationPrompt { out += "<|im_start|>assistant\n" }
        return out
    }

    // MARK: - Llama 3

    /// Content is trimmed; BOS is written before the first message by the template itself.
    /// `llama3` appends the assistant header whatever `addGenerationPrompt` says (its text has
    /// no guard); `llama3-hf` honours it.
    private func renderLlama3(_ messages: [ChatMessage], _ bos: String, _ addGenerationPrompt: Bool)
        -> String
    {
        var out = ""
        for (index, message) in messages.enumerated() {
            if index == 0 { out += bos }
            out += "<|start_header_id|>" + message.role.rawValue + "<|end_header_id|>\n\n"
                + message.content.strippedLikePython + "<|eot_id|>"
        }
        if self == .llama3 || addGenerationPrompt {
            out += "<|start_header_id|>assistant<|end_header_id|>\n\n"
        }
        return out
    }

    // MARK: - Mistral

    /// A leading system message goes into the first `[INST]` as `system + "\n\n" + user`;
    /// note the space before each `[INST]` and before each reply. No generation prompt.
    private func renderMistralV1(_ messages: [ChatMessage], _ bos: String, _ eos: String) throws
        -> String
    {
        var loop = messages[...]
        var system: String?
        if let first = messages.first, first.role == .system {
            system = first.content
            loop = messages.dropFirst()
        }
        var out = bos
        for (index, message) in loop.enumerated() {
            try checkAlternation(message, at: index)
            switch message.role {
            case .user:
                let prefix = index == 0 ? system.map { $0 + "\n\n" } ?? "" : ""
                out += " [INST] " + prefix + message.content + " [/INST]"
            case .assistant:
                out += " " + message.content + eos
            case .system:
                throw ChatError.unsupportedRole(format: name, index: index, role: message.role)
            }
        }
        return out
    }

    /// The pre-v1 template: no system role (folded in before this runs), no spaces around
    /// replies, no generation prompt.
    private func renderMistralV02(_ messages: [ChatMessage], _ bos: String, _ eos: String) throws
        -> String
    {
        var out = bos
        for (index, message) in messages.enumerated() {
            try checkAlternation(message, at: index)
            switch message.role {
            case .user: out += "[INST] " + message.content + " [/INST]"
            case .assistant: out += message.content + eos
            case .system:
                throw ChatError.unsupportedRole(format: name, index: index, role: message.role)
            }
        }
        return out
    }

    // MARK: - Llama 2 with <<SYS>>

    /// The system prompt (or Vigogne's default when the first message has no `<<SYS>>` of its
    /// own) opens the first turn inside `[INST]`; every content is stripped; replies are
    /// `" " + reply + " " + eos`; BOS once at the start.
    private func renderLlama2Sys(_ messages: [ChatMessage], _ bos: String, _ eos: String) throws
        -> String
    {
        var out = bos
        guard let first = messages.first else { return out }
        var loop = messages[...]
        var system: String?
        if first.role == .system {
            system = first.content
            loop = messages.dropFirst()
        } else if !first.content.contains("<<SYS>>") {
            system = defaultSystemPrompt
        }
        for (index, message) in loop.enumerated() {
            try checkAlternation(message, at: index)
            var content = message.content
            if index == 0, let system { content = "<<SYS>>\n" + system + "\n<</SYS>>\n\n" + content }
            switch message.role {
            case .user: out += "[INST] " + content.strippedLikePython + " [/INST]"
            case .system: out += "<<SYS>>\n" + content.strippedLikePython + "\n<</SYS>>\n\n"
            case .assistant: out += " " + content.strippedLikePython + " " + eos
            }
        }
        return out
    }

    // MARK: - Zephyr

    /// `<|role|>\n` + content + eos + "\n" per message; the generation prompt follows the
    /// last message only (the template tests `loop.last`).
    private func renderZephyr(_ messages: [ChatMessage], _ eos: String, _ addGenerationPrompt: Bool)
        -> String
    {
        var out = ""
        for message in messages {
            out += "<|" + message.role.rawValue + "|>\n" + message.content + eos + "\n"
        }
        if addGenerationPrompt, !messages.isEmpty { out += "<|assistant|>\n" }
        return out
    }

    // MARK: - Gemma

    /// The assistant is called `model`; content is trimmed; roles must alternate.
    private func renderGemma(_ messages: [ChatMessage], _ addGenerationPrompt: Bool) throws
        -> String
    {
        var out = ""
        for (index, message) in messages.enumerated() {
            try checkAlternation(message, at: index)
            let role = message.role == .assistant ? "model" : message.role.rawValue
            out += "<start_of_turn>" + role + "\n" + message.content.strippedLikePython
                + "<end_of_turn>\n"
        }
        if addGenerationPrompt { out += "<start_of_turn>model\n" }
        return out
    }

    // MARK: - Phi-3

    /// Every user turn already ends with the assistant header, so `addGenerationPrompt` has
    /// no effect; system messages are skipped, as the template does.
    private func renderPhi3(_ messages: [ChatMessage], _ bos: String) -> String {
        var out = bos
        for message in messages {
            switch message.role {
            case .user: out += "<|user|>\n" + message.content + "<|end|>\n<|assistant|>\n"
            case .assistant: out += message.content + "<|end|>\n"
            case .system: break
            }
        }
        return out
    }
}
