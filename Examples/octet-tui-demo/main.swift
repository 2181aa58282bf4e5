// octet-tui-demo: the chat screen on a real terminal with made-up services, for trying the
// TUI by hand and in tmux before it is wired to the model (not part of the `octet` CLI).
//
//   octet-tui-demo [--resume [ID]] [--theme NAME] [--store FILE] [--token-ms N]
//                  [--load-seconds S] [--words N]
import Foundation
import OctetChat
import OctetTUI

var arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else {
        return nil
    }
    return arguments[index + 1]
}

var start = App.Start.newConversation
if let index = arguments.firstIndex(of: "--resume") {
    if index + 1 < arguments.count, let id = Int64(arguments[index + 1]) {
        start = .conversation(id)
    } else {
        start = .mostRecent
    }
}
let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().path
let store = option("--store") ?? NSTemporaryDirectory() + "octet-tui-demo.json"
let services = DemoChatServices(
    storePath: store, tokenDelay: Double(option("--token-ms") ?? "30").map { $0 / 1000 } ?? 0.03,
    loadSeconds: Double(option("--load-seconds") ?? "1.5") ?? 1.5,
    replyWords: Int(option("--words") ?? "60") ?? 60)
let options = Runtime.Options(
    start: start, conversation: Conversation(template: "zero-shot"), modelName: "demo-model",
    themes: ThemeLibrary(directories: [checkout + "/Themes"]),
    themeName: option("--theme") ?? "dark", draft: DraftFile(path: store + ".draft"),
    exportDirectory: NSTemporaryDirectory())
let runtime = Runtime(backend: NcursesBackend(), services: services, options: options)
do {
    try await runtime.run()
    let stats = runtime.stats
    let frames = max(1, stats.frames)
    let line = String(
        format:
            "octet-tui-demo: %d frames, %.2f ms render + %.2f ms draw per frame, first frame %.0f ms, %d events\n",
        stats.frames, stats.renderSeconds / Double(frames) * 1000,
        stats.drawSeconds / Double(frames) * 1000,
        (stats.firstFrameSeconds ?? 0) * 1000, stats.events)
    FileHandle.standardError.write(Data(line.utf8))
} catch {
    FileHandle.standardError.write(Data("octet-tui-demo: \(error)\n".utf8))
    exit(1)
}
