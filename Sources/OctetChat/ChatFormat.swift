// MARK: - Chat formats

/// How a model wants a conversation written out as text (STYLE.md H8): the ten formats of
/// `chat_formats.json`, each rendered natively by one function (no Jinja engine) so that the
/// text equals, byte for byte, what the model's own Jinja template renders.
///
/// The raw values are the `--chat-format` names. A format is recognised from a Jinja template
/// text by distinctive substrings (`detect(template:)`), the way llama.cpp's
/// `llm_chat_detect_template` does.
///
/// ```swift
/// let format = ChatFormat.detect(template: modelTokenizer.chatTemplate).format
/// let text = try format.render([.user("Hello!")], bos: "", eos: "<|im_end|>")
/// ```
public enum ChatFormat: String, CaseIterable, Sendable, Codable {
    /// SmolLM2's ChatML: inserts its default system prompt when there is none.
    case chatmlSmolLM2 = "chatml-smollm2"
    /// Plain ChatML (`<|im_start|>role\n...<|im_end|>\n`).
    case chatml
    /// Llama 3 as first released: the assistant header is always appended.
    case llama3
    /// Llama 3 with the `add_generation_prompt` guard (the current Hugging Face text).
    case llama3HF = "llama3-hf"
    /// Mistral's "v1" `[INST]` template, system prompt folded into the first turn.
    case mistralV1 = "mistral-v1"
    /// Mistral's older template without system support (the system prompt is folded in here).
    case mistralV02 = "mistral-v0.2"
    /// Llama-2-chat layout with `<<SYS>>` (Vigogne's template and default system prompt).
    case llama2Sys = "llama2-sys"
    /// Zephyr (`<|user|>\n...</s>\n`).
    case zephyr
    /// Gemma (`<start_of_turn>user\n...<end_of_turn>\n`; the system prompt is folded in here).
    case gemma
    /// Phi-3 (`<|user|>\n...<|end|>\n<|assistant|>\n`; system messages are dropped, as its
    /// own template does).
    case phi3

    /// The `--chat-format` name.
    public var name: String { rawValue }

    /// The format called `name`, if there is one.
    public init?(name: String) { self.init(rawValue: name) }

    /// All names, for help texts and error messages.
    public static var names: [String] { allCases.map(\.name) }
}

// MARK: - System prompts

/// What a format does with a system message.
public enum SystemMessageHandling: Sendable, Equatable {
    /// The format has a place for it.
    case supported
    /// The model's own template raises on a system message; Octet folds it into the first
    /// user message as `system + "\n" + user`, as llama.cpp's Jinja path does.
    case foldedIntoFirstUser
    /// The model's own template skips it without a word (Phi-3); so does Octet, to render
    /// exactly what the model was trained on.
    case dropped
}

extension ChatFormat {
    /// What this format does with a system message.
    public var systemMessages: SystemMessageHandling {
        switch self {
        case .gemma, .mistralV02: return .foldedIntoFirstUser
        case .phi3: return .dropped
        default: return .supported
        }
    }

    /// The system prompt the model's template inserts when a conversation has none.
    public var defaultSystemPrompt: String? {
        switch self {
        case .chatmlSmolLM2:
            return "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
        case .llama2Sys:
            return "Vous êtes Vigogne, un assistant IA créé par Zaion Lab. Vous suivez "
                + "extrêmement bien les instructions. Aidez autant que vous le pouvez."
        default:
            return nil
        }
    }
}

// MARK: - Detection

/// The outcome of recognising a chat template: the format to use and, when the template was
/// missing or not recognised (ChatML is used then), a line the caller can show.
public struct ChatFormatDetection: Sendable, Equatable {
    public var format: ChatFormat
    /// nil when the template was recognised.
    public var warning: String?

    public init(format: ChatFormat, warning: String? = nil) {
        self.format = format
        self.warning = warning
    }
}

extension ChatFormat {
    /// Substrings a template must all contain to be this format (`chat_formats.json`).
    public var markers: [String] {
        switch self {
        case .chatmlSmolLM2:
            return ["<|im_start|>", "<|im_end|>", "You are a helpful AI assistant named SmolLM"]
        case .chatml: return ["<|im_start|>", "<|im_end|>"]
        case .llama3: return ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
        case .llama3HF:
            return ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>", "add_generation_prompt"]
        case .mistralV1: return ["[INST]", "[/INST]", "After the optional system message"]
        case .mistralV02: return ["[INST]", "[/INST]", "Only user and assistant roles are supported!"]
        case .llama2Sys: return ["[INST]", "[/INST]", "<<SYS>>", "<</SYS>>"]
        case .zephyr: return ["<|user|>", "<|assistant|>", "<|system|>", "eos_token"]
        case .gemma: return ["<start_of_turn>", "<end_of_turn>"]
        case .phi3: return ["<|user|>", "<|assistant|>", "<|end|>"]
        }
    }

    /// Substrings a template of this format must not contain.
    public var absentMarkers: [String] {
        switch self {
        case .chatml: return ["named SmolLM"]
        case .llama3: return ["add_generation_prompt"]
        case .mistralV1: return ["<<SYS>>", "[AVAILABLE_TOOLS]"]
        case .mistralV02: return ["<<SYS>>"]
        case .zephyr: return ["<|end|>"]
        default: return []
        }
    }

    /// Whether `template` is this format by its markers.
    public func matches(template: String) -> Bool {
        markers.allSatisfy(template.contains) && !absentMarkers.contains(where: template.contains)
    }

    /// The format of a Jinja chat template (a GGUF's `tokenizer.chat_template`, a
    /// `--chat-template-file`): the first format, in `allCases` order, whose markers match.
    /// Unknown or missing templates fall back to ChatML, with a warning.
    public static func detect(template: String?) -> ChatFormatDetection {
        guard let template, !template.isEmpty else {
            return ChatFormatDetection(
                format: .chatml, warning: "the model has no chat template; using ChatML")
        }
        if let format = allCases.first(where: { $0.matches(template: template) }) {
            return ChatFormatDetection(format: format)
        }
        return ChatFormatDetection(
            format: .chatml,
            warning: "the chat template is not one Octet knows; using ChatML "
                + "(choose another with --chat-format: \(names.joined(separator: ", ")))")
    }
}
