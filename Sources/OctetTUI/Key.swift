/// A key press as the backend decodes it: wide characters whole, control keys by name.
public enum Key: Equatable, Hashable, Sendable {
    /// A printable character (a CJK ideograph, an emoji, a combining mark...).
    case character(Character)
    /// Ctrl and a letter (`.control("a")` is Ctrl-A). Ctrl-C, Ctrl-J, Tab, Enter and
    /// Backspace have their own cases.
    case control(Character)
    /// Alt (Meta) and a character, sent by terminals as Escape then the character.
    case alt(Character)
    case enter
    /// Alt-Enter or Ctrl-J: a new line in the input.
    case newline
    case tab, backTab, backspace, delete, escape, interrupt
    case up, down, left, right, home, end, pageUp, pageDown
    /// Ctrl with a left/right arrow: a word at a time.
    case wordLeft, wordRight
    case function(Int)
}

/// What the backend reads from the terminal.
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    /// Text pasted with bracketed paste: arrives whole, new lines kept as "\n".
    case paste(String)
    /// The mouse wheel: positive scrolls down (towards the end), negative up.
    case wheel(Int)
    /// The window changed size.
    case resize(Size)
    /// The terminal has gone (its input hung up): treated like SIGHUP.
    case closed
}
