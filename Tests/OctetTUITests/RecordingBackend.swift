import Foundation

@testable import OctetTUI

/// A terminal for tests: plays a script of inputs, each when its condition on the screen
/// holds, and records every frame, the cells each frame wrote, and the clipboard.
final class RecordingBackend: TerminalBackend {
    struct Step {
        var input: InputEvent
        /// Waits for this text on screen before sending the input (nil: at once).
        var after: String?
    }

    var script: [Step]
    private(set) var frames: [Screen] = []
    /// For each frame, how many cells it had to write (the backend writes only changes).
    private(set) var cellsWritten: [Int] = []
    private(set) var clipboard: [String] = []
    private(set) var started = false
    private(set) var stopped = false
    var size: Size
    var colorLevel: ColorLevel = .palette256
    private var last: Screen?
    private let deadline = Date().addingTimeInterval(20)

    init(size: Size = Size(columns: 60, rows: 16), script: [Step]) {
        self.size = size
        self.script = script
    }

    var screen: String { frames.last?.plainText ?? "" }

    func start() throws { started = true }
    func stop() { stopped = true }
    func invalidate() { last = nil }

    func draw(_ screen: Screen) {
        cellsWritten.append(screen.changedCells(since: last).count)
        frames.append(screen)
        last = screen
    }

    func nextInput(timeout: Double) -> InputEvent? {
        if Date() > deadline { return .key(.interrupt) }  // a stuck test still ends
        guard let step = script.first else {
            Thread.sleep(forTimeInterval: min(timeout, 0.005))
            return nil
        }
        if let text = step.after, !self.screen.contains(text) {
            Thread.sleep(forTimeInterval: min(timeout, 0.005))
            return nil
        }
        script.removeFirst()
        if case .resize(let newSize) = step.input { size = newSize }
        return step.input
    }

    func copyToClipboard(_ text: String) { clipboard.append(text) }
}

extension RecordingBackend.Step {
    static func type(_ text: String, after: String? = nil) -> [RecordingBackend.Step] {
        text.enumerated().map { i, c in .init(input: .key(.character(c)), after: i == 0 ? after : nil) }
    }

    static func key(_ key: Key, after: String? = nil) -> RecordingBackend.Step {
        .init(input: .key(key), after: after)
    }
}
