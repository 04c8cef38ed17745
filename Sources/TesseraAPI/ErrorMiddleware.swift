import HTTPTypes
import Hummingbird
import Logging

/// Turns every error below it (route misses, body limits, store refusals) into the JSON
/// error shape of API.md, counts it, and logs server faults.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            metrics.httpErrors.increment()
            if apiError.status == .unauthorized { metrics.authFailures.increment() }
            if apiError.status == .internalServerError {
                context.logger.error(
                    "request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            return try apiError.response(from: request, context: context)
        }
    }
}
