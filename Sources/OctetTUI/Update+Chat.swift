import OctetChat

/// The running turn's events (`ChatEvent`, in the order its contract gives) and the
/// results of store effects.
extension App {
    /// How often a streaming reply is written to the store (DESIGN: at least every second).
    static let replySaveInterval = 1.0

    static func handleChat(_ state: inout AppState, _ event: ChatEvent, at: Double) -> [Effect] {
        guard let turn = state.turn, turn.replyIndex < state.conversation.messages.count else {
            return []
        }
        state.now = max(state.now, at)
        switch event {
        case .prompt(let tokens, _, let contextLength):
            state.turn?.promptTokens = tokens
            state.contextUsed = (tokens, contextLength)
            return []
        case .contextTrimmed(let dropped):
            let noun = dropped == 1 ? "message is" : "messages are"
            addNote(&state, "\(dropped) earlier \(noun) outside the context window")
            return []
        case .text(let piece):
            return appendText(&state, piece, at: at)
        case .finished(let message), .cancelled(let message):
            return endTurn(&state, with: message, cancelled: event != .finished(message))
        case .failed(let problem):
            return failTurn(&state, problem)
        }
    }

    private static func appendText(_ state: inout AppState, _ piece: String, at: Double)
        -> [Effect]
    {
        guard var turn = state.turn else { return [] }
        state.conversation.messages[turn.replyIndex].content += piece
        turn.chunks += 1
        if let first = turn.firstTextAt {
            if at > first, turn.chunks > 1 {
                state.tokensPerSecond = Double(turn.chunks - 1) / (at - first)
            }
        } else {
            turn.firstTextAt = at
        }
        if let used = state.contextUsed { state.contextUsed = (used.used + 1, used.length) }
        var effects: [Effect] = []
        if at - turn.lastSaveAt >= replySaveInterval {
            turn.lastSaveAt = at
            effects.append(saveEffect(&state, index: turn.replyIndex))
        }
        state.turn = turn
        return effects
    }

    /// The reply is complete or was stopped: its final text and generation info replace the
    /// streamed copy and are stored.
    private static func endTurn(_ state: inout AppState, with message: Message, cancelled: Bool)
        -> [Effect]
    {
        guard let turn = state.turn else { return [] }
        var final = message
        final.id = state.conversation.messages[turn.replyIndex].id
        if final.content.isEmpty, cancelled {
            final.content = state.conversation.messages[turn.replyIndex].content
        }
        state.conversation.messages[turn.replyIndex] = final
        state.turn = nil
        if let info = final.generation {
            state.tokensPerSecond = info.tokensPerSecond
            if let length = state.contextUsed?.length {
                state.contextUsed = (info.promptTokens + info.generatedTokens, length)
            }
        }
        if cancelled {
            addNote(
                &state,
                final.content.isEmpty
                    ? "stopped before any text" : "stopped; the text so far is kept")
        }
        return [saveEffect(&state, index: turn.replyIndex)] + runAfterTurn(&state)
    }

    private static func failTurn(_ state: inout AppState, _ problem: String) -> [Effect] {
        guard let turn = state.turn else { return [] }
        state.turn = nil
        var effects: [Effect] = []
        if state.conversation.messages[turn.replyIndex].content.isEmpty {
            state.conversation.messages.remove(at: turn.replyIndex)
        } else {
            effects.append(saveEffect(&state, index: turn.replyIndex))
        }
        addNote(&state, "the reply failed: \(problem)", error: true)
        return effects + runAfterTurn(&state)
    }

    // MARK: - Results of effects

    static func handleResult(_ state: inout AppState, _ event: Event) -> [Effect] {
        switch event {
        case .conversationCreated(let key, let stored):
            guard key == state.conversationKey else { return [] }
            state.conversation.id = stored.id
            for (index, message) in stored.messages.enumerated()
            where index < state.conversation.messages.count && message.id != nil {
                state.conversation.messages[index].id = message.id
            }
            writeDone(&state)
            if state.settingsUnsaved {
                state.settingsUnsaved = false
                return [.updateConversation(key: key, state.conversation)]
            }
            return []
        case .messageSaved(let key, let index, let message):
            guard key == state.conversationKey, index < state.conversation.messages.count else {
                return []
            }
            state.conversation.messages[index].id = message.id
            writeDone(&state)
            return []
        case .conversationLoaded(let conversation):
            return openConversation(&state, conversation)
        case .nothingToResume:
            addNote(&state, "no earlier conversation to resume; this is a new one")
            return []
        case .failed(let problem, let saving):
            if saving {
                state.pendingWrites = max(0, state.pendingWrites - 1)
                state.saveFailed = true
            }
            addNote(&state, problem, error: true)
            return []
        default:
            return handleListResult(&state, event)
        }
    }

    static func writeDone(_ state: inout AppState) {
        state.pendingWrites = max(0, state.pendingWrites - 1)
        state.saveFailed = false
    }

    /// Shows a conversation from the store, scrolled to its end.
    static func openConversation(_ state: inout AppState, _ conversation: Conversation) -> [Effect]
    {
        if state.isGenerating, let id = conversation.id {
            return deferUntilTurnEnds(&state, .load(id))
        }
        state.conversationKey += 1
        state.conversation = conversation
        resetViews(&state)
        state.overlay = nil
        let replies = conversation.messages.filter { $0.role == .assistant }
        state.tokensPerSecond = replies.last?.generation?.tokensPerSecond
        let count = conversation.messages.count
        addNote(
            &state,
            "conversation #\(conversation.id ?? 0) · \(count) message\(count == 1 ? "" : "s")")
        if let last = conversation.messages.last, last.role == .assistant, !last.complete {
            addNote(&state, "the last reply was interrupted; /retry asks for it again")
        }
        return []
    }
}
