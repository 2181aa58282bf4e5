import Foundation
import OctetChat

/// `/edit`: the last user message goes back into the input; sending it starts a new branch,
/// a copy of the conversation up to that message, so the original stays in the history.
extension App {
    static func startEdit(_ state: inout AppState) -> [Effect] {
        guard !state.isGenerating else {
            addNote(&state, "a reply is still coming; Ctrl-C stops it first")
            return []
        }
        guard let index = state.conversation.messages.lastIndex(where: { $0.role == .user }) else {
            addNote(&state, "nothing to edit: no message has been sent yet")
            return []
        }
        state.editingIndex = index
        state.input.setText(state.conversation.messages[index].content)
        state.draftUnsaved = true
        addNote(
            &state,
            "editing your last message: Enter sends it as a new branch (the original conversation is kept); Esc stops editing"
        )
        return []
    }

    /// Sends `content` in place of message `index`, in a new conversation branched off the
    /// current one.
    static func sendEdited(_ state: inout AppState, _ content: String, replacing index: Int)
        -> [Effect]
    {
        let original = state.conversation
        state.editingIndex = nil
        guard index < original.messages.count else { return send(&state, content) }
        var branch = original
        branch.id = nil
        branch.created = clockDate(state)
        branch.title = TextWrap.truncate(original.title, width: 50) + " (edited)"
        branch.messages = original.messages[..<index].map { message in
            var copy = message
            copy.id = nil
            return copy
        }
        branch.messages.append(Message(role: .user, content: content, created: clockDate(state)))
        state.conversationKey += 1
        state.conversation = branch
        resetViews(&state)
        if let id = original.id {
            addNote(&state, "a new branch of conversation #\(id), which stays as it was")
        }
        state.pendingWrites += 1
        let effects: [Effect] = [.createConversation(key: state.conversationKey, branch)]
        guard state.modelReady else {
            state.sendPending = true
            return effects
        }
        return effects + startTurn(&state)
    }

    /// Asks the running reply to stop; `action` happens when it has (Update+Chat).
    static func deferUntilTurnEnds(_ state: inout AppState, _ action: AppState.Switch) -> [Effect] {
        state.afterTurn = action
        guard state.turn?.cancelRequested == false else { return [] }
        state.turn?.cancelRequested = true
        return [.cancelTurn]
    }

    /// Runs the switch asked for during the reply that has just ended.
    static func runAfterTurn(_ state: inout AppState) -> [Effect] {
        guard let action = state.afterTurn else { return [] }
        state.afterTurn = nil
        switch action {
        case .new: return newConversation(&state)
        case .load(let id): return [.loadConversation(id: id)]
        }
    }
}
