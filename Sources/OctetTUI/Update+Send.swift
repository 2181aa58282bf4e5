import Foundation
import OctetChat

/// Sending: Enter on a message or a command, starting a turn, and the flows that build a
/// new turn from an old one (`/retry`, `/edit`), and a new conversation.
extension App {
    /// Enter: runs a slash command or sends the message. A message typed while a reply
    /// streams stays in the input (nothing is lost) until the reply ends.
    static func submit(_ state: inout AppState) -> [Effect] {
        let text = state.input.text
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        if trimmed.hasPrefix("/"), !trimmed.hasPrefix("//") {
            _ = state.input.commit()
            state.draftUnsaved = true
            return runCommand(&state, trimmed)
        }
        if state.isGenerating || state.sendPending {
            addNote(&state, "a reply is still coming; Ctrl-C stops it, then Enter sends this")
            return []
        }
        if case .failed(let problem) = state.model {
            addNote(&state, "cannot send: the model is not loaded (\(problem))", error: true)
            return []
        }
        _ = state.input.commit()
        state.draftUnsaved = true
        // "//text" sends "/text".
        let content = trimmed.hasPrefix("//") ? String(trimmed.dropFirst()) : trimmed
        if let index = state.editingIndex { return sendEdited(&state, content, replacing: index) }
        return send(&state, content)
    }

    /// Adds the user's message, stores it (creating the conversation on its first message)
    /// and starts the reply, or waits for the model if it is still loading.
    static func send(_ state: inout AppState, _ content: String) -> [Effect] {
        let message = Message(role: .user, content: content, created: clockDate(state))
        state.conversation.messages.append(message)
        state.conversation.updated = message.created
        state.transcript.following = true
        var effects: [Effect]
        if state.conversation.id == nil && state.conversation.messages.count == 1 {
            if state.conversation.title.isEmpty {
                state.conversation.title = Conversation.title(fromFirstMessage: content)
            }
            state.settingsUnsaved = false
            effects = [.createConversation(key: state.conversationKey, state.conversation)]
            state.pendingWrites += 1
        } else {
            effects = [saveEffect(&state, index: state.conversation.messages.count - 1)]
        }
        guard state.modelReady else {
            state.sendPending = true
            if case .loading = state.model {
                addNote(&state, "the model is still loading; the reply starts when it is ready")
            }
            return effects
        }
        return effects + startTurn(&state)
    }

    /// Starts the reply to the conversation's last (user) message.
    static func startTurn(_ state: inout AppState) -> [Effect] {
        let asked = state.conversation
        let reply = Message(
            role: .assistant, content: "", created: clockDate(state), complete: false)
        state.conversation.messages.append(reply)
        state.turn = AppState.Turn(
            replyIndex: state.conversation.messages.count - 1, startedAt: state.now,
            lastSaveAt: state.now, template: asked.template)
        state.interruptedAt = nil
        return [.startTurn(key: state.conversationKey, asked)]
    }

    /// The effect that stores message `index` of the current conversation (counted in
    /// `pendingWrites` until its `.messageSaved` comes back).
    static func saveEffect(_ state: inout AppState, index: Int) -> Effect {
        state.pendingWrites += 1
        return .saveMessage(
            key: state.conversationKey, conversationID: state.conversation.id, index: index,
            state.conversation.messages[index])
    }

    /// Stores changed settings: now, or with the conversation when it is first created.
    static func saveSettings(_ state: inout AppState) -> [Effect] {
        guard state.conversation.id != nil || !state.conversation.messages.isEmpty else {
            return []  // not stored yet: `createConversation` will carry the settings
        }
        if state.conversation.id == nil {
            state.settingsUnsaved = true
            return []
        }
        return [.updateConversation(key: state.conversationKey, state.conversation)]
    }

    static func clockDate(_ state: AppState) -> Date {
        state.now > 0 ? Date(timeIntervalSince1970: state.now) : Date()
    }

    // MARK: - New conversation, retry, edit

    /// Ctrl-N and `/new`: an empty conversation with the same template and settings.
    static func newConversation(_ state: inout AppState) -> [Effect] {
        if state.isGenerating { return deferUntilTurnEnds(&state, .new) }
        let old = state.conversation
        state.conversationKey += 1
        state.conversation = Conversation(
            created: clockDate(state), model: old.model, template: old.template,
            systemPrompt: old.systemPrompt, sampling: old.sampling)
        resetViews(&state)
        return []
    }

    static func resetViews(_ state: inout AppState) {
        state.notes = []
        state.transcript = AppState.TranscriptView(
            reasoningExpanded: state.transcript.reasoningExpanded)
        state.editingIndex = nil
        state.sendPending = false
        state.settingsUnsaved = false
        state.tokensPerSecond = nil
        if let length = state.contextUsed?.length { state.contextUsed = (0, length) }
        state.pendingWrites = 0
        state.saveFailed = false
    }

    /// `/retry`: the last reply is removed (from the store too) and asked for again.
    static func retry(_ state: inout AppState) -> [Effect] {
        guard !state.isGenerating else {
            addNote(&state, "a reply is still coming; Ctrl-C stops it first")
            return []
        }
        var effects: [Effect] = []
        if let last = state.conversation.messages.last, last.role == .assistant {
            let index = state.conversation.messages.count - 1
            effects.append(
                .deleteMessage(
                    key: state.conversationKey, conversationID: state.conversation.id,
                    index: index, id: last.id))
            state.conversation.messages.removeLast()
            state.notes.removeAll { $0.after > state.conversation.messages.count }
        }
        guard state.conversation.messages.last?.role == .user else {
            addNote(&state, "nothing to retry: no message has been sent yet")
            return effects
        }
        guard state.modelReady else {
            state.sendPending = true
            return effects
        }
        return effects + startTurn(&state)
    }
}
