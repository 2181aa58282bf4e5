import Foundation
import OctetChat

/// One case per effect: which service call it makes and which event reports back.
extension EffectRunner {
    func perform(_ effect: Effect) {
        switch effect {
        case .startTurn(let key, let conversation): startTurn(key, conversation)
        case .cancelTurn: services.cancelTurn()
        case .createConversation(let key, let conversation): create(key, conversation)
        case .updateConversation(let key, let conversation):
            enqueueWrite { [self] in
                var changed = conversation
                changed.id = conversationID(key, conversation.id)
                guard changed.id != nil else { return }
                try await services.updateConversation(changed)
            }
        case .saveMessage(let key, let id, let index, let message): save(key, id, index, message)
        case .deleteMessage(let key, let id, let index, let messageID):
            enqueueWrite { [self] in
                let slot = MessageKey(conversation: key, index: index)
                guard let conversation = conversationID(key, id),
                    let message = messageID ?? self.messageID(slot)
                else { return }
                remember(message: slot, nil)
                try await services.deleteMessage(id: message, conversationID: conversation)
            }
        default:
            performRead(effect)
        }
    }

    // MARK: - Writes

    private func create(_ key: Int, _ conversation: Conversation) {
        enqueueWrite { [self] in
            let stored = try await services.createConversation(conversation)
            remember(conversation: key, stored.id)
            for (index, message) in stored.messages.enumerated() {
                remember(message: MessageKey(conversation: key, index: index), message.id)
            }
            queue.post(.conversationCreated(key: key, stored))
        }
    }

    private func save(_ key: Int, _ id: Int64?, _ index: Int, _ message: Message) {
        enqueueWrite { [self] in
            guard let conversation = conversationID(key, id) else {
                throw OctetTUIError.io(
                    path: "conversation", problem: "the conversation was never stored")
            }
            let slot = MessageKey(conversation: key, index: index)
            var message = message
            if message.id == nil { message.id = messageID(slot) }
            let stored = try await services.saveMessage(message, conversationID: conversation)
            remember(message: slot, stored.id)
            queue.post(.messageSaved(key: key, index: index, stored))
        }
    }

    // MARK: - The turn

    /// Streams one reply. Only `cancelTurn` stops it, so that the stream still delivers its
    /// `.cancelled` event with the text so far.
    private func startTurn(_ key: Int, _ conversation: Conversation) {
        spawn { [self] in
            await writesDone()
            var asked = conversation
            asked.id = conversationID(key, conversation.id)
            var ended = false
            for await event in services.startTurn(for: asked) {
                queue.post(.chat(event, at: Runtime.clock()))
                switch event {
                case .finished, .cancelled, .failed: ended = true
                default: break
                }
            }
            if !ended {
                queue.post(.chat(.failed("the reply ended without finishing"), at: Runtime.clock()))
            }
        }
    }

    // MARK: - Reads

    private func performRead(_ effect: Effect) {
        switch effect {
        case .loadConversation(let id):
            read { [services] in .conversationLoaded(try await services.loadConversation(id: id)) }
        case .loadMostRecentConversation:
            read { [services] in
                guard let conversation = try await services.mostRecentConversation() else {
                    return .nothingToResume
                }
                return .conversationLoaded(conversation)
            }
        case .listConversations(let query):
            read { [services] in
                let items =
                    query.isEmpty
                    ? try await services.listConversations(limit: 200)
                    : try await services.searchConversations(query, limit: 200)
                return .conversationsListed(query: query, items)
            }
        case .renameConversation(let id, let title):
            enqueueWrite { [self] in
                try await services.renameConversation(id: id, title: title)
                queue.post(.conversationRenamed(id: id, title: title))
            }
        case .deleteConversation(let id):
            enqueueWrite { [self] in
                try await services.deleteConversation(id: id)
                queue.post(.conversationDeleted(id: id))
            }
        default:
            performOther(effect)
        }
    }

    private func performOther(_ effect: Effect) {
        switch effect {
        case .loadTemplates:
            read { [services] in .templatesListed(try await services.templates()) }
        case .previewTemplate(let name, let conversation, let input):
            read { [services] in
                .templatePreviewed(
                    name: name,
                    try await services.previewTemplate(
                        named: name, conversation: conversation, input: input))
            }
        case .listThemes:
            queue.post(.themesListed(options.themes.names()))
        case .export(let conversation, let format):
            read { [self] in .exported(path: try writeExport(conversation, format)) }
        default:
            break
        }
    }

    /// Runs a read in a task; its result, or its error as one line, comes back as an event.
    private func read(_ work: @escaping @Sendable () async throws -> Event) {
        spawn { [queue] in
            do {
                queue.post(try await work())
            } catch {
                queue.post(.failed("\(error)", saving: false))
            }
        }
    }

    private func writeExport(_ conversation: Conversation, _ format: ExportFormat) throws -> String
    {
        let text = try services.export(conversation, format: format)
        let name = "octet-\(conversation.id.map(String.init) ?? "new").\(format.rawValue)"
        let path = (options.exportDirectory as NSString).appendingPathComponent(name)
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw OctetTUIError.io(path: path, problem: "cannot write the export")
        }
        return path
    }
}
