/// Made-up replies for the demo: the question echoed, filler words, a code block when the
/// question asks for code, reasoning before "Answer:" for chain-of-thought.
enum DemoReply {
    static let filler = """
        The quick brown fox jumps over the lazy dog while the model keeps writing words so that \
        the transcript wraps across several lines and scrolling can be tried by hand in a small \
        window with 中文字符 and emoji 🙂 mixed in between plain English text.
        """.split(separator: " ").map(String.init)

    /// The reply as the pieces it streams in (about one word each).
    static func pieces(for question: String, template: String?, words: Int) -> [String] {
        var text = ""
        if template == "chain-of-thought" {
            text +=
                "First I read the question carefully. Then I think about each part of it step by step. "
            text += "Answer: "
        }
        text += "You asked: \(question.split(separator: "\n").first ?? ""). "
        for i in 0..<max(0, words) { text += filler[i % filler.count] + " " }
        if question.lowercased().contains("code") {
            text +=
                "\n\n```swift\nlet greeting = \"hello\"\nprint(greeting)\n```\n\nThat is the code."
        }
        var pieces: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == " " || character == "\n" {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
