import OctetChat

/// The chat screen's Elm loop: `update` is the only function that changes `AppState`, does
/// no I/O and returns the work to do as effects; `render` (Render.swift) draws a state.
///
/// ```swift
/// var state = AppState(size: Size(columns: 80, rows: 24), modelName: "SmolLM2")
/// let effects = App.update(&state, .input(.key(.character("h"))))
/// let screen = App.render(state, size: state.size, theme: .fallback)
/// ```
public enum App {
    /// What to open first.
    public enum Start: Equatable, Sendable {
        case newConversation
        case mostRecent
        case conversation(Int64)
    }

    /// The effects to run once at start (the runtime also subscribes to the model status
    /// and restores the draft).
    public static func start(_ state: inout AppState, opening start: Start) -> [Effect] {
        var effects: [Effect] = [.loadTemplates, .listThemes]
        switch start {
        case .newConversation: break
        case .mostRecent: effects.append(.loadMostRecentConversation)
        case .conversation(let id): effects.append(.loadConversation(id: id))
        }
        return effects
    }

    // MARK: - Dispatch

    /// Applies `event` to `state`; returns what the runtime must do next.
    public static func update(_ state: inout AppState, _ event: Event) -> [Effect] {
        switch event {
        case .input(let input): return handleInput(&state, input)
        case .tick(let now): return tick(&state, now: now)
        case .hangup: return quit(&state)
        case .model(let status): return modelChanged(&state, status)
        case .chat(let chatEvent, let at): return handleChat(&state, chatEvent, at: at)
        default: return handleResult(&state, event)
        }
    }

    private static func handleInput(_ state: inout AppState, _ input: InputEvent) -> [Effect] {
        switch input {
        case .resize(let size):
            state.size = size
            clampScroll(&state)
            return []
        case .wheel(let lines):
            if state.overlay != nil { return handleOverlayKey(&state, lines < 0 ? .up : .down) }
            scroll(&state, by: lines)
            return []
        case .paste(let text):
            return paste(&state, text)
        case .closed:
            return quit(&state)
        case .key(let key):
            if state.overlay != nil { return handleOverlayKey(&state, key) }
            return handleKey(&state, key)
        }
    }

    // MARK: - Time, quitting

    private static func tick(_ state: inout AppState, now: Double) -> [Effect] {
        state.now = now
        if let at = state.interruptedAt, now - at > 2 { state.interruptedAt = nil }
        guard state.draftUnsaved, now - state.draftSavedAt >= 1 else { return [] }
        state.draftUnsaved = false
        state.draftSavedAt = now
        return [.saveDraft(state.input.text)]
    }

    /// Leaves: the draft is written, a running reply is stopped (and saved by its
    /// `.cancelled` event, which the runtime still delivers before it exits).
    static func quit(_ state: inout AppState) -> [Effect] {
        state.quitting = true
        state.draftUnsaved = false
        var effects: [Effect] = [.saveDraft(state.input.text)]
        if let turn = state.turn, !turn.cancelRequested {
            state.turn?.cancelRequested = true
            effects.append(.cancelTurn)
        }
        effects.append(.quit)
        return effects
    }

    // MARK: - The model

    private static func modelChanged(_ state: inout AppState, _ status: ModelStatus) -> [Effect] {
        state.model = status
        switch status {
        case .ready(let name, let contextLength):
            state.modelName = name
            if state.contextUsed == nil { state.contextUsed = (0, contextLength) }
            if state.sendPending {
                state.sendPending = false
                return startTurn(&state)
            }
        case .failed(let problem):
            addNote(&state, "the model could not be loaded: \(problem)", error: true)
            state.sendPending = false
        case .loading:
            break
        }
        return []
    }

    // MARK: - Notes

    /// Adds a line from the chat screen after the current messages, and shows it.
    static func addNote(_ state: inout AppState, _ text: String, error: Bool = false) {
        state.notes.append(
            AppState.Note(after: state.conversation.messages.count, text: text, isError: error))
        state.transcript.following = true
    }
}
