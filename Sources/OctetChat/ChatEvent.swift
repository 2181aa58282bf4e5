/// What one chat turn reports while it runs (`ChatSession`), in order: `prompt`, maybe
/// `contextTrimmed`, any number of `text`, then exactly one of `finished`, `cancelled` or
/// `failed`. Chat's own values only, so the UI need not know the engine.
public enum ChatEvent: Sendable, Equatable {
    /// The rendered prompt: its token count, how many of them the engine had cached (and so
    /// need not read again), and the context window's size.
    case prompt(tokens: Int, cached: Int, contextLength: Int)
    /// This many of the oldest messages no longer fit in the context window and were left
    /// out of this turn ("3 earlier messages are outside the context").
    case contextTrimmed(droppedMessages: Int)
    /// The next piece of the reply: whole characters only.
    case text(String)
    /// The reply is complete; its `generation` says what produced it and how fast.
    case finished(Message)
    /// Stopped by the user; the text so far is kept (`complete` is false).
    case cancelled(Message)
    /// The turn could not run; one line for the user.
    case failed(String)
}
