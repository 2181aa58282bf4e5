/// Where each part of the screen goes for a state and size: the title row, the transcript,
/// the separator, the input (growing to a third of the screen) and the status row.
/// Shared by `render` and by `update` (which needs the page size for scrolling).
public struct ScreenLayout: Equatable, Sendable {
    /// The smallest window the chat screen draws in; below it, "window too small".
    public static let minimum = Size(columns: 24, rows: 8)
    /// Columns taken by the input's prompt ("› ").
    public static let promptWidth = 2

    public var size: Size
    public var tooSmall: Bool
    public var transcriptTop = 1
    public var transcriptRows: Int
    public var separatorRow: Int
    public var inputTop: Int
    public var inputRows: Int
    public var statusRow: Int

    public init(state: AppState) {
        size = state.size
        tooSmall = size.columns < Self.minimum.columns || size.rows < Self.minimum.rows
        statusRow = max(0, size.rows - 1)
        let wanted = state.input.layout(width: Self.inputWidth(size)).rows.count
        inputRows = max(1, min(wanted, size.rows / 3))
        inputTop = statusRow - inputRows
        separatorRow = inputTop - 1
        transcriptRows = max(0, separatorRow - transcriptTop)
    }

    /// Columns the input's text may use.
    public static func inputWidth(_ size: Size) -> Int {
        max(2, size.columns - promptWidth - 1)
    }
}
