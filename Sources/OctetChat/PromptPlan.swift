// MARK: - What one turn's prompt is made of

/// A turn's messages before the context window has its say: the frame that is always sent
/// (system prompt and few-shot examples), the earlier conversation (which may be cut from
/// the front, a whole turn at a time) and the message being answered.
public struct PromptPlan: Sendable, Equatable {
    /// nil = no system message; the chat format may insert the model's default one.
    public var system: String?
    /// Few-shot examples as user/assistant turns; never dropped.
    public var examples: [ChatMessage]
    /// The earlier conversation, oldest first.
    public var history: [ChatMessage]
    /// The message being answered (empty when rendering a conversation as it is).
    public var current: [ChatMessage]

    public init(
        system: String? = nil, examples: [ChatMessage] = [], history: [ChatMessage] = [],
        current: [ChatMessage] = []
    ) {
        self.system = system
        self.examples = examples
        self.history = history
        self.current = current
    }

    /// Where each turn of `history` starts: a turn is a user message and the replies after
    /// it (anything before the first user message is a turn of its own).
    public var turnStarts: [Int] {
        var starts: [Int] = []
        for (index, message) in history.enumerated() where index == 0 || message.role == .user {
            starts.append(index)
        }
        return starts
    }

    /// The number of turns in `history`.
    public var turnCount: Int { turnStarts.count }

    /// How many messages the first `turns` turns of `history` hold.
    public func messageCount(ofFirstTurns turns: Int) -> Int {
        let starts = turnStarts
        return turns >= starts.count ? history.count : starts[turns]
    }

    /// Everything to render, with the oldest `turns` turns of `history` left out.
    public func messages(droppingTurns turns: Int = 0) -> [ChatMessage] {
        let kept = history[messageCount(ofFirstTurns: turns)...]
        return (system.map { [ChatMessage.system($0)] } ?? []) + examples + kept + current
    }
}

// MARK: - Building a plan

extension PromptPlan {
    /// The plan for sending `input` after `history` with a prompt template.
    ///
    /// The system prompt is, first found: `systemPrompt` (`--system`, `/system`), the
    /// leading system messages of `history` (a `--messages` file), the template's, none
    /// (the chat format then uses the model's default, if it has one).
    /// - Parameters:
    ///   - history: earlier messages, already as the model saw them.
    ///   - input: the user's new text, dressed by `template` when there is one; nil = none.
    ///   - variables: values for the template's variables (defaults fill the rest).
    /// - Throws: `ChatError.missingVariable`.
    public static func make(
        history: [ChatMessage], input: String?, template: PromptTemplate? = nil,
        systemPrompt: String? = nil, variables: [String: String] = [:]
    ) throws -> PromptPlan {
        let leading = history.prefix { $0.role == .system }
        let rest = Array(history.dropFirst(leading.count))
        let fromHistory = leading.isEmpty ? nil : leading.map(\.content).joined(separator: "\n")
        let current = try input.map { text in
            [ChatMessage.user(try template?.render(input: text, variables: variables) ?? text)]
        } ?? []
        return PromptPlan(
            system: systemPrompt ?? fromHistory ?? template?.system,
            examples: try template?.exampleMessages(variables: variables) ?? [],
            history: rest, current: current)
    }
}
