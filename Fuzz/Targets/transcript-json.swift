// MARK: - Fuzz target: JSON transcript import
//
// The input is a file given to `octet import`. It is imported, or it throws a
// `Transcript.ImportError`; an imported conversation exports to Markdown and to JSON, and the
// JSON imports again to the same conversation (export, then import, loses nothing).

import Foundation
import OctetChat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTranscriptJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let conversation: Conversation
    do {
        conversation = try Transcript.conversation(fromJSON: Data(input.bytes))
    } catch let error as Transcript.ImportError {
        fuzzCheck(!error.description.isEmpty, "empty message")
        return 0
    } catch {
        fuzzCheck(false, "not an ImportError: \(error)")
        return 0
    }
    fuzzCheck(conversation.id == nil, "an imported conversation has an id")
    _ = Transcript.markdown(conversation)
    do {
        let exported = try Transcript.json(conversation)
        let again = try Transcript.conversation(fromJSON: exported)
        let exportedAgain = try Transcript.json(again)
        fuzzCheck(exportedAgain == exported, "export of the re-import differs")
        fuzzCheck(again.messages == conversation.messages, "messages changed in a round trip")
        fuzzCheck(again.title == conversation.title, "title changed in a round trip")
        fuzzCheck(again.sampling == conversation.sampling, "sampling changed in a round trip")
    } catch {
        fuzzCheck(false, "the export of an imported conversation does not import: \(error)")
    }
    return 0
}
