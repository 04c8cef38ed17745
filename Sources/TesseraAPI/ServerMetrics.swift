public import Prometheus

/// The Prometheus registry behind `GET /metrics`. Each server owns one, so tests and
/// several servers in one process never share counters.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let rooms: Gauge
    let participants: Gauge
    let httpErrors: Counter
    let authFailures: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        rooms = registry.makeGauge(descriptor: Self.name("rooms", "", "Rooms configured"))
        participants = registry.makeGauge(descriptor: Self.name("participants", "", "Participants connected"))
        httpErrors = registry.makeCounter(
            descriptor: Self.name("http_errors", "total", "HTTP requests answered with an error"))
        authFailures = registry.makeCounter(
            descriptor: Self.name("auth_failures", "total", "Requests refused for missing or wrong credentials"))
    }

    /// `tessera_<name>_<unit>` with its help text.
    public static func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "tessera", metricName: name, unitName: unit, helpText: help)
    }
}
