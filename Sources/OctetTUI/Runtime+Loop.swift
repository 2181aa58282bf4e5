import Foundation

/// The loop itself: wait for input or the next frame, apply events, draw when due.
extension Runtime {
    /// How long quitting waits for a stopped reply and the last store writes.
    static let quitGrace = 3.0

    static func clock() -> Double {
        Date().timeIntervalSince1970
    }

    func loop() throws {
        var dirty = false
        var lastDraw = Self.clock()
        var lastTick = lastDraw
        var quitDeadline: Double?
        while true {
            let now = Self.clock()
            let busy = state.isGenerating || !effects.isIdle
            // While a reply streams, 20 frames a second are enough to read and leave the
            // cores to the model; typing alone may draw at the full rate.
            let interval = state.isGenerating ? max(options.frameInterval, 1.0 / 20) : options.frameInterval
            let wait = dirty ? max(0, lastDraw + interval - now) : (busy ? 0.01 : 0.05)
            if let input = backend.nextInput(timeout: wait) {
                if case .resize = input { backend.invalidate() }
                dirty = apply(.input(input)) || dirty
            }
            for event in queue.drain() { dirty = apply(event) || dirty }
            let afterInput = Self.clock()
            if afterInput - lastTick >= 0.25 {
                lastTick = afterInput
                dirty = apply(.tick(now: afterInput)) || dirty
            }
            if state.quitting {
                quitDeadline = quitDeadline ?? afterInput + Self.quitGrace
                if (!state.isGenerating && effects.isIdle) || afterInput > quitDeadline! { break }
            }
            if dirty, afterInput - lastDraw >= interval {
                draw()
                lastDraw = Self.clock()
                dirty = false
            }
        }
        if dirty { draw() }
    }

    /// Applies one event and runs its effects; true when the screen may have changed. A
    /// tick changes only the clock and the draft's bookkeeping, which nothing draws; every
    /// other event is taken to change the screen (comparing whole states would cost more
    /// than the frame it might save).
    @discardableResult
    func apply(_ event: Event) -> Bool {
        stats.events += 1
        let quitting = state.quitting
        for effect in App.update(&state, event) { perform(effect) }
        if case .tick = event { return state.quitting != quitting }
        return true
    }

    func draw() {
        let t0 = Self.clock()
        let size = backend.size
        if size != state.size { state.size = size }
        let screen = App.render(state, size: size, theme: theme)
        let t1 = Self.clock()
        backend.draw(screen)
        let t2 = Self.clock()
        stats.frames += 1
        stats.renderSeconds += t1 - t0
        stats.drawSeconds += t2 - t1
    }

    // MARK: - Effects that touch the terminal or the theme

    func perform(_ effect: Effect) {
        switch effect {
        case .loadTheme(let name):
            let (loaded, problem) = options.themes.themeOrFallback(named: name)
            theme = loaded.degraded(to: backend.colorLevel)
            backend.invalidate()
            queue.post(.themeChanged(name: loaded.name, problem: problem))
        case .copyToClipboard(let text):
            backend.copyToClipboard(text)
            queue.post(.copied(characters: text.count))
        case .saveDraft(let text):
            saveDraft(text)
        case .quit:
            break  // `state.quitting` is set; the loop ends once the reply and writes are done
        default:
            effects.perform(effect)
        }
    }

    func saveDraft(_ text: String) {
        guard let draft = options.draft else { return }
        do {
            try draft.save(text)
        } catch {
            queue.post(.failed("\(error)", saving: false))
        }
    }

    func loadInitialTheme() {
        let (loaded, problem) = options.themes.themeOrFallback(named: options.themeName)
        theme = loaded.degraded(to: backend.colorLevel)
        if let problem { queue.post(.themeChanged(name: loaded.name, problem: problem)) }
    }

    // MARK: - Signals

    /// SIGHUP/SIGTERM: save and leave; SIGINT: as Ctrl-C. SIGWINCH is ncurses' own
    /// (it turns it into a resize key).
    func installSignals() {
        let handlers: [(Int32, Event)] = [
            (SIGHUP, .hangup), (SIGTERM, .hangup), (SIGINT, .input(.key(.interrupt))),
        ]
        for (number, event) in handlers {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            let queue = self.queue
            source.setEventHandler { queue.post(event) }
            source.resume()
            signalSources.append(source)
        }
    }

    func stopSignals() {
        for source in signalSources { source.cancel() }
        signalSources = []
        for number in [SIGHUP, SIGTERM, SIGINT] { signal(number, SIG_DFL) }
    }
}
