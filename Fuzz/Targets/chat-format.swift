// MARK: - Fuzz target: chat formats
//
// Random conversations (up to 12 messages of any role and text, any BOS/EOS text) rendered in
// every chat format, with and without the generation prompt; and any text recognised as a
// Jinja chat template. Formats that accept any order of roles never throw; the others throw
// only `ChatError.roleAlternation` or `.unsupportedRole`. The text of every user and assistant
// message is in the prompt (trimmed, for the formats that trim), and so is every system
// message's in the formats that write system messages where they are.

import Foundation
import OctetChat

private let roles: [Role] = [.system, .user, .assistant]
/// Formats whose template accepts messages of any role in any order.
private let anyOrder: [ChatFormat] = [.chatmlSmolLM2, .chatml, .llama3, .llama3HF, .zephyr, .phi3]
/// Formats that write every system message where it is (the others fold it into a user turn,
/// use only a leading one, or drop it).
private let writesSystem: [ChatFormat] = [.chatmlSmolLM2, .chatml, .llama3, .llama3HF, .zephyr]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChatFormat(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let bos = input.string(limit: 8), eos = input.string(limit: 8)
    var messages: [ChatMessage] = []
    for _ in 0 ..< Int(input.byte() % 13) {
        let role = roles[Int(input.byte()) % roles.count]
        messages.append(ChatMessage(role: role, content: input.string(limit: 64)))
    }
    for format in ChatFormat.allCases {
        for generationPrompt in [true, false] {
            render(format, messages, bos, eos, generationPrompt)
        }
        fuzzCheck(ChatFormat(name: format.name) == format, "name of \(format)")
    }
    let detection = ChatFormat.detect(template: String(decoding: input.rest(), as: UTF8.self))
    fuzzCheck(ChatFormat.allCases.contains(detection.format), "detected format")
    return 0
}

private func render(
    _ format: ChatFormat, _ messages: [ChatMessage], _ bos: String, _ eos: String,
    _ generationPrompt: Bool
) {
    do {
        let text = try format.render(
            messages, bos: bos, eos: eos, addGenerationPrompt: generationPrompt)
        for message in messages where message.role != .system || writesSystem.contains(format) {
            fuzzCheck(contains(Array(text.utf8), core(message.content)),
                      "\(format): the text of a \(message.role) message is missing")
        }
    } catch let error as ChatError {
        switch error {
        case .roleAlternation, .unsupportedRole:
            fuzzCheck(!anyOrder.contains(format), "\(format) threw \(error)")
        default:
            fuzzCheck(false, "\(format) threw \(error)")
        }
    } catch {
        fuzzCheck(false, "\(format) threw \(error)")
    }
}

// MARK: - Text checks

/// The UTF-8 of `content` without leading and trailing whitespace of any definition (Python's,
/// Unicode's, Foundation's): what is left appears in the prompt even where the format trims.
private func core(_ content: String) -> [UInt8] {
    func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C ... 0x1F).contains(scalar.value)
            || CharacterSet.whitespacesAndNewlines.contains(scalar)
    }
    var scalars = Substring(content).unicodeScalars
    while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
    while let last = scalars.last, isSpace(last) { scalars.removeLast() }
    return Array(String(scalars).utf8)
}

/// Whether `needle` occurs in `haystack`, byte for byte.
private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard needle.count <= haystack.count else { return false }
    for start in 0 ... haystack.count - needle.count
    where haystack[start] == needle[0] && haystack[start ..< start + needle.count].elementsEqual(needle) {
        return true
    }
    return false
}
