import ArgumentParser
import Foundation
import OctetChat
import OctetStore
import OctetTUI

/// `octet [--model PATH] [--db PATH] [--theme NAME] [--template NAME] [--resume [ID]]`: the
/// chat screen. Settings come from the flags, then `$XDG_CONFIG_HOME/octet/config.yaml`, then
/// the defaults.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat", abstract: "Open the chat screen (the default command).")

    @Option(name: .long, help: "The GGUF model file (default: config.yaml's, else the installed model).")
    var model: String?
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The colour theme (see `octet themes`).")
    var theme: String?
    @Option(help: "The prompt template of new conversations (see `octet templates`).")
    var template: String?
    @Flag(help: "Reopen the most recent conversation, or the one given by ID.")
    var resume = false
    @Argument(help: "With --resume: the conversation to reopen.")
    var id: Int64?

    func validate() throws {
        if id != nil, !resume { throw ValidationError("a conversation id goes with --resume: octet --resume ID") }
    }

    func run() async throws {
        let config = try AppConfig.load(path: AppConfig.defaultPath())
        let store = try database.open()
        let templateDirectories = TemplateLibrary.directories(
            userConfigDirectory: Paths.configDirectory, shippedDataDirectories: Paths.shippedDataDirectories)
        let modelPath = model ?? config.model ?? Paths.defaultModel
        let services = LocalChatServices(
            modelPath: modelPath, database: store, templateDirectories: templateDirectories)
        let runtime = Runtime(
            backend: NcursesBackend(), services: services,
            options: try options(config, modelPath: modelPath, templates: templateDirectories))
        try await runtime.run()
        if ProcessInfo.processInfo.environment["OCTET_SCREEN_STATS"] != nil {
            FileHandle.standardError.write(Data(Self.statsLine(runtime.stats).utf8))
        }
    }

    /// `OCTET_SCREEN_STATS=1`: one line on stderr after the screen closes, for measuring the
    /// screen's own cost (frames drawn, time per frame, time to the first frame).
    static func statsLine(_ stats: Runtime.Stats) -> String {
        let frames = max(1, stats.frames)
        return String(
            format: "octet: screen: %d frames, %.2f ms render + %.2f ms draw per frame (%.2f s in all), "
                + "first frame %.0f ms, %d events\n",
            stats.frames, stats.renderSeconds / Double(frames) * 1000, stats.drawSeconds / Double(frames) * 1000,
            stats.renderSeconds + stats.drawSeconds, (stats.firstFrameSeconds ?? 0) * 1000, stats.events)
    }

    /// What the screen opens with: the conversation to show, the defaults of new ones
    /// (template with its sampling defaults, then the config's sampling keys), the theme.
    private func options(_ config: AppConfig, modelPath: String, templates: [String]) throws -> Runtime.Options {
        var defaults = Conversation(model: URL(fileURLWithPath: modelPath).lastPathComponent)
        defaults.sampling = config.sampling
        if let name = template ?? config.template {
            let chosen = try TemplateLibrary(directories: templates).template(named: name)
            defaults.template = chosen.name
            defaults.sampling = chosen.sampling.applied(to: .default)
            config.applySampling(to: &defaults.sampling)
        }
        let start: App.Start = !resume ? .newConversation : id.map { .conversation($0) } ?? .mostRecent
        return Runtime.Options(
            start: start, conversation: defaults, modelName: defaults.model ?? "",
            themes: ThemesCommand.library(),
            themeName: theme ?? config.theme ?? "dark",
            draft: DraftFile(path: Paths.dataDirectory + "/draft.txt"))
    }
}
