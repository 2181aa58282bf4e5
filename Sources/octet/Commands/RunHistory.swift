import Foundation
import OctetChat
import OctetStore

/// `octet run --save` / `--resume ID`: the stored conversation a run writes its turn to.
/// The user's message is committed before the model is loaded, the reply is written as it
/// streams (`ReplyRecorder`: at least every half second) and marked complete at the end, so a
/// kill loses at most the last half second of the reply and never the question.
final class RunHistory {
    let database: AppDatabase
    /// The conversation as stored before this turn (the session appends the new message).
    let conversation: Conversation
    private let conversationID: Int64
    /// SHA-256 of the model file (nil when it cannot be read).
    let modelHash: String?
    private var recorder: ReplyRecorder?

    /// Commits `text` as the next user message of `conversation`: a new conversation when it
    /// has no id yet, else the stored one, whose settings (template, system prompt, sampling)
    /// are updated to the ones given.
    init(database: AppDatabase, conversation: Conversation, text: String, modelPath: String) throws {
        self.database = database
        if let id = conversation.id {
            try database.updateSettings(of: conversation)
            _ = try database.appendUserMessage(text, to: id)
            self.conversation = conversation
            conversationID = id
        } else {
            var fresh = conversation
            fresh.messages = [Message(role: .user, content: text)]
            var created = try database.createConversation(fresh)
            created.messages.removeAll()
            self.conversation = created
            conversationID = created.id!
        }
        // Cached by path, size and time in the database: hashed once per model file.
        modelHash = try? database.modelHash(ofFile: modelPath)
    }

    /// The id to print for `--save`.
    var id: Int64 { conversationID }

    /// Writes what `event` says about the reply.
    func record(_ event: ChatEvent) throws {
        switch event {
        case .text(let piece):
            try replyRecorder().append(piece)
        case .finished(let reply):
            try replyRecorder().finish(generation: withHash(reply.generation), complete: true)
        case .cancelled(let reply):
            try replyRecorder().finish(generation: withHash(reply.generation), complete: false)
        case .prompt, .contextTrimmed, .failed:
            break
        }
    }

    /// The reply row, created (incomplete, empty) with the first piece of text.
    private func replyRecorder() throws -> ReplyRecorder {
        if let recorder { return recorder }
        let info = GenerationInfo(
            model: conversation.model ?? "", modelHash: modelHash,
            template: conversation.template, sampling: conversation.sampling)
        let made = try ReplyRecorder(database: database, conversationID: conversationID, generation: info)
        recorder = made
        return made
    }

    private func withHash(_ info: GenerationInfo?) -> GenerationInfo? {
        guard var info else { return nil }
        info.modelHash = info.modelHash ?? modelHash
        return info
    }
}
