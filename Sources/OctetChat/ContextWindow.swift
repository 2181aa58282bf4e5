import OctetTokenizer

// MARK: - The context window

/// Keeps a prompt inside the model's context window, leaving room for the reply.
///
/// - `budget`: the context length (the model's, or `--ctx N`).
/// - `reserve`: tokens kept free for the reply, `min(maxTokens, budget / 4)`: a full reply
///   fits when it is short, and a long `maxTokens` cannot eat more than a quarter of the
///   window (the reply may still run on until the window is full; the engine stops there).
/// - `promptLimit = budget - reserve`: the most tokens a prompt may have.
///
/// When a conversation outgrows the limit, whole turns are dropped from its front (never the
/// system prompt, the few-shot examples or the message being answered). When it must drop,
/// it drops down to `refillTarget` (three quarters of the limit), so that the next turns fit
/// without dropping again and the engine can keep reusing its KV cache for the same prefix;
/// a caller passes the turns dropped last time as `alreadyDropped` for the same reason.
public struct ContextWindow: Sendable, Equatable {
    public var budget: Int
    public var maxTokens: Int

    /// - Parameters:
    ///   - budget: the context length in tokens.
    ///   - maxTokens: the most tokens a reply may have.
    public init(budget: Int, maxTokens: Int) {
        self.budget = max(1, budget)
        self.maxTokens = max(0, maxTokens)
    }

    /// Tokens kept free for the reply.
    public var reserve: Int { min(maxTokens, budget / 4) }
    /// The most tokens a prompt may have.
    public var promptLimit: Int { budget - reserve }
    /// Where a prompt that had to be cut is brought down to.
    public var refillTarget: Int { promptLimit * 3 / 4 }

    /// The rendered prompt that fits.
    /// - Parameters:
    ///   - plan: the turn's messages.
    ///   - alreadyDropped: turns dropped by an earlier turn; not brought back.
    ///   - render: messages -> prompt text (the chat format).
    ///   - tokenize: prompt text -> token ids (the model's tokenizer).
    /// - Throws: `ChatError.messageTooLong` when even the frame and the current message alone
    ///   exceed `promptLimit`; the renderer's errors.
    public func fit(
        _ plan: PromptPlan, alreadyDropped: Int = 0, render: ([ChatMessage]) throws -> String,
        tokenize: (String) -> [TokenID]
    ) throws -> FittedPrompt {
        let turns = plan.turnCount
        var dropped = min(max(0, alreadyDropped), turns)
        var target = promptLimit
        var sizes: MessageSizes?
        while true {
            let messages = plan.messages(droppingTurns: dropped)
            let text = try render(messages)
            let tokens = tokenize(text)
            if tokens.count <= target || (tokens.count <= promptLimit && dropped == turns) {
                return FittedPrompt(
                    text: text, tokens: tokens, droppedTurns: dropped,
                    droppedMessages: plan.messageCount(ofFirstTurns: dropped))
            }
            guard dropped < turns else {
                throw ChatError.messageTooLong(tokens: tokens.count, limit: promptLimit)
            }
            // Cutting: aim below the limit so that the following turns fit as they are.
            target = refillTarget
            if sizes == nil {
                sizes = MessageSizes(plan: plan, rendered: messages, total: tokens.count, tokenize: tokenize)
            }
            dropped += sizes!.turnsHolding(tokens.count - target, from: dropped)
        }
    }
}

/// Token counts for estimating how many turns to drop: each earlier message's own tokens
/// plus the format's per-message overhead, measured on the rendered prompt (rounded up, so
/// the estimate errs towards dropping too little; `fit` renders again to check).
private struct MessageSizes {
    let plan: PromptPlan
    let starts: [Int]
    let history: [Int]
    let overhead: Int

    init(plan: PromptPlan, rendered: [ChatMessage], total: Int, tokenize: (String) -> [TokenID]) {
        self.plan = plan
        starts = plan.turnStarts
        history = plan.history.map { tokenize($0.content).count }
        let contents = rendered.reduce(0) { $0 + tokenize($1.content).count }
        let count = max(1, rendered.count)
        overhead = max(0, (total - contents + count - 1) / count)
    }

    /// How many turns, from turn `first` on, hold at least `excess` tokens (at least one).
    func turnsHolding(_ excess: Int, from first: Int) -> Int {
        var freed = 0
        var turn = first
        while turn < starts.count, freed < excess {
            let end = turn + 1 < starts.count ? starts[turn + 1] : history.count
            freed += history[starts[turn]..<end].reduce(0) { $0 + $1 + overhead }
            turn += 1
        }
        return max(1, turn - first)
    }
}

/// A prompt that fits the context window.
public struct FittedPrompt: Sendable, Equatable {
    /// The rendered text.
    public var text: String
    /// Its token ids, as sent to the engine.
    public var tokens: [TokenID]
    /// Turns of the earlier conversation left out.
    public var droppedTurns: Int
    /// Messages left out (what the UI reports: "3 earlier messages are outside the context").
    public var droppedMessages: Int
}
