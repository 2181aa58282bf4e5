/// The one thing between the chat screen and a terminal (STYLE.md H10). `NcursesBackend`
/// drives a real terminal; tests use a recording backend. All calls come from the
/// runtime's loop thread.
public protocol TerminalBackend: AnyObject {
    /// Takes over the terminal (full screen, raw keys, mouse wheel, bracketed paste).
    /// Throws a one-line error when the terminal cannot be driven; nothing is changed then.
    func start() throws
    /// Gives the terminal back as it was. Safe to call more than once, and after a failed
    /// `start`.
    func stop()
    /// The window's size now.
    var size: Size { get }
    /// The colours the terminal shows (after `NO_COLOR`).
    var colorLevel: ColorLevel { get }
    /// Shows `screen`, writing only the cells that differ from the last frame drawn.
    func draw(_ screen: Screen)
    /// Forgets the last frame, so that the next `draw` repaints every cell (after a resize
    /// or a theme change, or when the terminal may hold garbage).
    func invalidate()
    /// The next input, waiting at most `timeout` seconds; nil when there was none.
    func nextInput(timeout: Double) -> InputEvent?
    /// Puts `text` on the system clipboard through the terminal (OSC 52).
    func copyToClipboard(_ text: String)
}
