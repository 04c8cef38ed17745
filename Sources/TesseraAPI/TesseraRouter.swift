public import Hummingbird

/// Builds the router of every Tessera HTTP route.
public enum TesseraRouter {
    public static func build(_ server: ServerContext) -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: CORSPolicy())
        router.add(middleware: ErrorMiddleware(metrics: server.metrics))
        OperationsRoutes(server: server).add(to: router)
        WebRoutes(assets: .bundled).add(to: router)
        // WHIP/WHEP and events authorise with room tokens (or the admin key) themselves.
        MediaRoutes(server: server).add(to: router.group("v1"))
        EventRoutes(server: server).add(to: router.group("v1"))
        let v1 = router.group("v1").add(middleware: AdminAuthMiddleware(key: server.adminKey))
        RoomRoutes(server: server).add(to: v1)
        UserRoutes(server: server).add(to: v1)
        TokenRoutes(server: server).add(to: v1)
        ParticipantRoutes(server: server).add(to: v1)
        MeetingRoutes(server: server).add(to: v1)
        RecordingRoutes(server: server).add(to: v1)
        return router
    }
}
