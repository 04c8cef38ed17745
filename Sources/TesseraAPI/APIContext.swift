public import Hummingbird

/// The request context of every Tessera route.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Admin JSON bodies are small; anything larger is refused with 413 before parsing.
    public var maxUploadSize: Int { APIContext.maxBodyBytes }

    public static let maxBodyBytes = 64 * 1024
}
