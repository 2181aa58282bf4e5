import ArgumentParser

/// The chat prompt `octet run` sends without `--raw`, until OctetChat's chat formats are
/// wired in at merge (replace `render` by the real renderer): one user message in ChatML,
/// the default model's format, after the default system prompt the model's own template
/// inserts when a conversation has none (SmolLM2: "You are a helpful AI assistant named
/// SmolLM, trained by Hugging Face"; reference README, "Chat template").
enum InterimChatPrompt {
    /// `<|im_start|>system\n{default}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n`
    /// `<|im_start|>assistant\n`.
    /// - Throws: `ValidationError` for a model whose template is not ChatML.
    static func render(user: String, chatTemplate: String?) throws -> String {
        guard let template = chatTemplate, template.contains("<|im_start|>") else {
            throw ValidationError("this model's chat format: not available yet (use --raw)")
        }
        var text = ""
        if let system = defaultSystemPrompt(in: template) {
            text += "<|im_start|>system\n\(system)<|im_end|>\n"
        }
        return text + "<|im_start|>user\n\(user)<|im_end|>\n<|im_start|>assistant\n"
    }

    /// The literal system message a ChatML template writes when the first message is not a
    /// system one: the text between `<|im_start|>system` + newline and `<|im_end|>` inside a
    /// template string, if it is plain text (not an expression such as `message['content']`).
    static func defaultSystemPrompt(in template: String) -> String? {
        guard let start = template.range(of: "<|im_start|>system\n"),
              let end = template.range(of: "<|im_end|>", range: start.upperBound..<template.endIndex)
        else { return nil }
        let text = template[start.upperBound..<end.lowerBound]
        guard !text.isEmpty, !text.contains(where: { "{}'\"+".contains($0) }) else { return nil }
        return String(text)
    }
}
