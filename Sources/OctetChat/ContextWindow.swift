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
        while true {
            let text = try render(plan.messages(droppingTurns: dropped))
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
            dropped += turnsToDrop(plan, from: dropped, excess: tokens.count - target, tokenize: tokenize)
        }
    }

    /// An estimate of how many more turns, from turn `first`, hold `excess` tokens (each
    /// message's own tokens plus a few for its header), at least one; the caller renders
    /// again to check, so an estimate is enough.
    private func turnsToDrop(
        _ plan: PromptPlan, from first: Int, excess: Int, tokenize: (String) -> [TokenID]
    ) -> Int {
        let starts = plan.turnStarts
        var freed = 0
        var turn = first
        while turn < starts.count, freed < excess {
            let end = turn + 1 < starts.count ? starts[turn + 1] : plan.history.count
            for message in plan.history[starts[turn]..<end] {
                freed += tokenize(message.content).count + 4
            }
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
